/// A placed order with a full snapshot of what was bought, so nothing about it depends on the catalog later.
public struct Order: Hashable, Sendable, Codable {
    /// The number a customer and a florist say on the phone, e.g. `PE-1042`.
    public var number: String
    /// Secret that lets the customer look the order up without an account.
    public var token: String
    public var storeID: Int
    public var status: OrderStatus
    public var total: Money
    public var lines: [OrderLine]
    public var deliveryWindow: WindowSnapshot
    public var customer: OrderRequest.Customer
    public var recipient: OrderRequest.Recipient
    public var cardMessage: String
    /// Milliseconds since 1970, UTC.
    public var createdAt: Int64
    /// The delivery zone's fee in minor units, included in `total`.
    public var deliveryFee: Int
    /// The delivery zone of the address, when the tour serves zones.
    public var zoneID: Int?

    public init(
        number: String, token: String, storeID: Int, status: OrderStatus, total: Money, lines: [OrderLine],
        deliveryWindow: WindowSnapshot, customer: OrderRequest.Customer, recipient: OrderRequest.Recipient,
        cardMessage: String, createdAt: Int64, deliveryFee: Int = 0, zoneID: Int? = nil
    ) {
        self.number = number
        self.token = token
        self.storeID = storeID
        self.status = status
        self.total = total
        self.lines = lines
        self.deliveryWindow = deliveryWindow
        self.customer = customer
        self.recipient = recipient
        self.cardMessage = cardMessage
        self.createdAt = createdAt
        self.deliveryFee = deliveryFee
        self.zoneID = zoneID
    }
}

/// One bought product as it was at the moment of the order.
public struct OrderLine: Hashable, Sendable, Codable {
    public var product: Int
    public var name: String
    public var unitPrice: Int
    public var quantity: Int
    public var composition: [CompositionLine]
    /// Photo reference of the product at order time, if it had one.
    public var photo: String?

    public init(
        product: Int, name: String, unitPrice: Int, quantity: Int, composition: [CompositionLine], photo: String?
    ) {
        self.product = product
        self.name = name
        self.unitPrice = unitPrice
        self.quantity = quantity
        self.composition = composition
        self.photo = photo
    }

    public var lineTotal: Int { self.unitPrice * self.quantity }

    /// Prices the requested items against the catalog as it is now.
    ///
    /// Unknown products are the client's mistake (a validation error); products that exist but cannot be
    /// ordered are a conflict the customer can resolve by changing the cart.
    public static func price(_ items: [OrderRequest.Item], catalog: [Int: Product]) throws(CheckoutError) -> [OrderLine]
    {
        var unknown: [FieldError] = []
        var unavailable: [String] = []
        var lines: [OrderLine] = []
        for (index, item) in items.enumerated() {
            guard let product = catalog[item.product] else {
                unknown.append(
                    FieldError(
                        field: "items[\(index)].product", message: "There is no product \(item.product) in this shop."))
                continue
            }
            guard product.available else {
                unavailable.append(product.name)
                continue
            }
            lines.append(
                OrderLine(
                    product: product.id, name: product.name, unitPrice: product.price.minorUnits,
                    quantity: item.quantity,
                    composition: product.composition, photo: product.photos.first
                )
            )
        }
        if !unknown.isEmpty { throw .validation(unknown) }
        if !unavailable.isEmpty { throw .productUnavailable(unavailable) }
        return lines
    }
}

/// The delivery window as it was when the order was placed.
public struct WindowSnapshot: Hashable, Sendable, Codable {
    public var id: Int
    public var date: String
    public var from: String
    public var to: String

    public init(id: Int, date: String, from: String, to: String) {
        self.id = id
        self.date = date
        self.from = from
        self.to = to
    }

    public init(_ window: DeliveryWindow) {
        self.init(id: window.id, date: window.date, from: window.from, to: window.to)
    }
}

/// Where an order is in the shop's workflow.
public enum OrderStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case new
    case confirmed
    case assembling
    case ready
    case outForDelivery = "out-for-delivery"
    case delivered
    case cancelled
}
