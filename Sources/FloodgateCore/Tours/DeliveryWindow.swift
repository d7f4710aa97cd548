/// A delivery tour: a local date, a time range in the store's time zone, the zones it serves, a capacity in
/// orders and a cut-off after which it takes no more orders.
///
/// The storefront calls it a delivery window; the back-office calls it a tour. It is one concept: a tour with
/// no zones serves every address, and one without a cut-off closes when it starts.
///
/// `reserved` (places taken by orders) and `held` (places held for someone from the waiting list) are live
/// counts kept by the database with conditional updates, so a tour is never oversold and a held place never
/// goes to anyone else.
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
    /// Places held for people from the waiting list who were offered one and have not used it yet.
    public var held: Int
    /// Local moment (`YYYY-MM-DD HH:MM`) after which no order is taken; nil: when the tour starts.
    public var cutoff: String?
    /// Zones served; empty: every address.
    public var zoneIDs: [Int]
    /// The weekly template it was generated from, if any.
    public var templateID: Int?

    public init(
        id: Int, storeID: Int, date: String, from: String, to: String, capacity: Int, reserved: Int, held: Int = 0,
        cutoff: String? = nil, zoneIDs: [Int] = [], templateID: Int? = nil
    ) {
        self.id = id
        self.storeID = storeID
        self.date = date
        self.from = from
        self.to = to
        self.capacity = capacity
        self.reserved = reserved
        self.held = held
        self.cutoff = cutoff
        self.zoneIDs = zoneIDs
        self.templateID = templateID
    }

    /// Places anyone may take now; never negative even if staff lowered the capacity below what is taken.
    public var remaining: Int { max(0, self.capacity - self.reserved - self.held) }

    /// The local moment (`YYYY-MM-DD HH:MM`) orders stop: the cut-off, or the start of the tour.
    public var closesAt: String { self.cutoff ?? "\(self.date) \(self.from)" }

    /// Whether a customer can still order for this tour at the given local moment (`YYYY-MM-DD`, `HH:MM`).
    public func isOpen(atLocalDate today: String, time now: String) -> Bool {
        "\(today) \(now)" < self.closesAt
    }

    /// Whether the tour delivers to an address in `zone` (nil: the address is in no zone of the store).
    public func serves(zone: Int?) -> Bool {
        if self.zoneIDs.isEmpty { return true }
        guard let zone else { return false }
        return self.zoneIDs.contains(zone)
    }
}
