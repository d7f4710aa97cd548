/// A person waiting for a place on a full tour, with the cart they wanted and how to reach them.
public struct WaitlistEntry: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// In line.
        case waiting
        /// A place is held for them until `holdUntil`.
        case offered
        /// They ordered with the held place.
        case converted
        /// The hold ran out; the place passed to the next person.
        case expired
        /// They left the list (or declined the offer).
        case left
    }

    public var id: Int
    public var storeID: Int
    public var windowID: Int
    /// Secret in the customer's link: the only way to see, use or leave the entry.
    public var token: String
    public var name: String
    public var email: String
    public var phone: String
    /// The cart, encoded as the cart cookie is.
    public var cart: String
    public var status: Status
    /// Milliseconds since 1970 (UTC) until which the place is held; set while `offered`.
    public var holdUntil: Int64?
    public var createdAt: Int64

    public init(
        id: Int, storeID: Int, windowID: Int, token: String, name: String, email: String, phone: String, cart: String,
        status: Status, holdUntil: Int64?, createdAt: Int64
    ) {
        self.id = id
        self.storeID = storeID
        self.windowID = windowID
        self.token = token
        self.name = name
        self.email = email
        self.phone = phone
        self.cart = cart
        self.status = status
        self.holdUntil = holdUntil
        self.createdAt = createdAt
    }

    /// Whether the held place can still be used at `now` (ms since 1970).
    public func holdIsValid(at now: Int64) -> Bool {
        self.status == .offered && (self.holdUntil ?? 0) > now
    }
}
