/// An order request priced against the catalog and checked against its tour, as they are now: ready to be written.
///
/// Pure: the caller reads the request's products, its tour and (when the tour serves zones) the store's zones,
/// and the same inputs always give the same checkout or the same refusal. Every refusal is one the customer can
/// fix (``CheckoutError``); whether the tour still has a free place is for the write to decide, atomically.
public struct Checkout: Hashable, Sendable {
    public let lines: [OrderLine]
    public let window: DeliveryWindow
    /// The zone the address is in, when the tour serves zones; its fee is added to the total.
    public let zone: Zone?

    /// Prices `request` and checks its tour, in this order: the cart against `products` (the store's products it
    /// names), then the tour (`window`, nil when the store has no such tour) still taking orders at the store's
    /// wall-clock time `local` — a waiting-list place held for the customer is kept past the cut-off, it was
    /// promised — then the address's zone among `zones`, when the tour serves some (see ``needsZones(_:)``).
    public init(
        _ request: OrderRequest, products: [Product], window: DeliveryWindow?, zones: [Zone], at local: LocalTime
    ) throws(CheckoutError) {
        self.lines = try OrderLine.price(
            request.items, catalog: Dictionary(products.map { ($0.id, $0) }) { first, _ in first })
        guard let window else {
            throw .validation([
                FieldError(field: "deliveryWindow", message: "There is no such delivery window in this shop.")
            ])
        }
        guard request.hold != nil || window.isOpen(atLocalDate: local.date, time: local.time) else {
            throw .validation([
                FieldError(
                    field: "deliveryWindow", message: "This delivery window takes no more orders; choose a later one.")
            ])
        }
        var zone: Zone?
        if Self.needsZones(window) {
            zone = zones.zone(for: request.recipient.postcode)
            guard window.serves(zone: zone?.id) else {
                let postcode = request.recipient.postcode
                let message =
                    postcode.isEmpty
                    ? "Enter the postcode of the delivery address: this window delivers to some areas only."
                    : zone.map { "This window does not deliver to \($0.name); choose a window for your area." }
                        ?? "We do not deliver to \(postcode) in this window; choose another window."
                throw .validation([
                    FieldError(field: postcode.isEmpty ? "recipient.postcode" : "deliveryWindow", message: message)
                ])
            }
        }
        self.window = window
        self.zone = zone
    }

    /// Whether checking an order for `window` needs the store's zones: only tours that deliver to some areas do.
    public static func needsZones(_ window: DeliveryWindow?) -> Bool {
        window.map { !$0.zoneIDs.isEmpty } ?? false
    }

    /// The zone's delivery fee, in minor units; 0 without a zone.
    public var deliveryFee: Int { self.zone?.fee ?? 0 }

    /// The order to write for `request`: priced, with a full snapshot of its tour. Its number is set once its row
    /// id is known.
    public func order(for request: OrderRequest, in store: Store, token: String, createdAt: Int64) -> Order {
        Order(
            number: "", token: token, storeID: store.id, status: .new,
            total: Money(
                minorUnits: self.lines.reduce(self.deliveryFee) { $0 + $1.lineTotal }, currency: store.currency),
            lines: self.lines,
            deliveryWindow: WindowSnapshot(self.window), customer: request.customer, recipient: request.recipient,
            cardMessage: request.cardMessage, createdAt: createdAt, deliveryFee: self.deliveryFee, zoneID: self.zone?.id
        )
    }
}
