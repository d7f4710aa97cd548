/// A shop served by this deployment: its own catalog, delivery windows, currency and time zone.
public struct Store: Hashable, Sendable, Codable {
    public var id: Int
    /// URL name, e.g. `petals` in `/s/petals/`.
    public var slug: String
    public var name: String
    /// A line under the name on the storefront.
    public var tagline: String
    /// ISO 4217 code of every price in this store.
    public var currency: String
    /// IANA time zone the store's delivery windows are expressed in, e.g. `Europe/Moscow`.
    public var timeZone: String
    /// Starts every order number of the store, e.g. `PE` in `PE-1042`.
    public var orderPrefix: String
    /// Where new-order notices go; also the address customers' confirmations come from.
    public var notifyEmail: String
    /// Whether every order gets a fiscal receipt from the online cash register (Russian 54-FZ shops).
    public var fiscalReceipts: Bool

    public init(
        id: Int, slug: String, name: String, tagline: String, currency: String, timeZone: String, orderPrefix: String,
        notifyEmail: String, fiscalReceipts: Bool = false
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.tagline = tagline
        self.currency = currency
        self.timeZone = timeZone
        self.orderPrefix = orderPrefix
        self.notifyEmail = notifyEmail
        self.fiscalReceipts = fiscalReceipts
    }
}
