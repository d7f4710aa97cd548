/// A slot a store delivers in: a local date, a time range in the store's time zone and a capacity in orders.
///
/// `reserved` is a live count kept by the database with a conditional update, so a window is never oversold.
/// Tours (a later concept with zones and cut-offs) generalise this type rather than sit beside it.
public struct DeliveryWindow: Hashable, Sendable, Codable {
    public var id: Int
    public var storeID: Int
    /// Local date in the store's time zone, `YYYY-MM-DD`.
    public var date: String
    /// Local start time, `HH:MM`.
    public var from: String
    /// Local end time, `HH:MM`.
    public var to: String
    public var capacity: Int
    public var reserved: Int

    public init(id: Int, storeID: Int, date: String, from: String, to: String, capacity: Int, reserved: Int) {
        self.id = id
        self.storeID = storeID
        self.date = date
        self.from = from
        self.to = to
        self.capacity = capacity
        self.reserved = reserved
    }

    /// Places left; never negative even if staff lowered the capacity below what is already reserved.
    public var remaining: Int { max(0, self.capacity - self.reserved) }

    /// Whether a customer can still choose this window at the given local moment (`YYYY-MM-DD`, `HH:MM`).
    public func isOpen(atLocalDate today: String, time now: String) -> Bool {
        if self.date != today { return self.date > today }
        return self.from > now
    }
}
