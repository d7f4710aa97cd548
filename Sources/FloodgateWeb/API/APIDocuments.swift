import FloodgateCore
import Foundation
import Hummingbird

/// A product as the API shows it.
struct ProductDocument: ResponseEncodable {
    var id: Int
    var name: String
    var description: String
    /// Minor units of `currency`.
    var price: Int
    var currency: String
    var available: Bool
    var photos: [String]
    var composition: [CompositionLine]

    init(_ product: Product) {
        self.id = product.id
        self.name = product.name
        self.description = product.description
        self.price = product.price.minorUnits
        self.currency = product.price.currency
        self.available = product.available
        self.photos = product.photos
        self.composition = product.composition
    }
}

/// A delivery window as the API shows it.
struct DeliveryWindowDocument: ResponseEncodable {
    var id: Int
    var date: String
    var from: String
    var to: String
    var capacity: Int
    var remaining: Int
    /// Zone ids served; empty: every address.
    var zones: [Int]
    /// Local `YYYY-MM-DD HH:MM` after which it takes no orders.
    var closesAt: String

    init(_ window: DeliveryWindow) {
        self.id = window.id
        self.date = window.date
        self.from = window.from
        self.to = window.to
        self.capacity = window.capacity
        self.remaining = window.remaining
        self.zones = window.zoneIDs
        self.closesAt = window.closesAt
    }
}

/// A delivery zone as the API lists it.
struct ZoneDocument: ResponseEncodable {
    var id: Int
    var name: String
    var postcodes: [String]
    var fee: Int

    init(_ zone: Zone) {
        self.id = zone.id
        self.name = zone.name
        self.postcodes = zone.postcodes
        self.fee = zone.fee
    }
}

/// The answer to joining a waiting list: the address is in line and its link is on its way there by email.
///
/// The same for a new place and for an address already in line, and never the entry's token or link: those
/// reach only the mailbox, so nobody can take over a place by typing someone else's address.
struct WaitlistJoinDocument: ResponseEncodable {
    var deliveryWindow: Int
    /// The address the link was sent to, as it was taken (trimmed).
    var email: String
    var detail: String

    init(windowID: Int, email: String) {
        self.deliveryWindow = windowID
        self.email = email
        self.detail =
            "We have emailed the link to your place in line to \(email). Joining again with the same address sends it again."
    }
}

/// An order as the API shows it: the same document on creation, on replay and on look-up.
struct OrderDocument: ResponseEncodable {
    struct Line: Encodable {
        var product: Int
        var name: String
        var unitPrice: Int
        var quantity: Int
        var lineTotal: Int
        var composition: [CompositionLine]
        var photo: String?
    }

    var number: String
    var token: String
    var status: String
    var total: Int
    var currency: String
    var lines: [Line]
    var deliveryWindow: WindowSnapshot
    var customer: OrderRequest.Customer
    var recipient: OrderRequest.Recipient
    var cardMessage: String
    /// The delivery zone's fee, included in `total`.
    var deliveryFee: Int
    /// ISO 8601, UTC.
    var createdAt: String

    init(_ order: Order) {
        self.number = order.number
        self.token = order.token
        self.status = order.status.rawValue
        self.total = order.total.minorUnits
        self.currency = order.total.currency
        self.lines = order.lines.map {
            Line(
                product: $0.product, name: $0.name, unitPrice: $0.unitPrice, quantity: $0.quantity,
                lineTotal: $0.lineTotal,
                composition: $0.composition, photo: $0.photo
            )
        }
        self.deliveryWindow = order.deliveryWindow
        self.customer = order.customer
        self.recipient = order.recipient
        self.cardMessage = order.cardMessage
        self.deliveryFee = order.deliveryFee
        let date = Date(timeIntervalSince1970: Double(order.createdAt) / 1000)
        self.createdAt = date.formatted(.iso8601)
    }
}

/// A store as the API lists it.
struct StoreDocument: ResponseEncodable {
    var slug: String
    var name: String
    var currency: String
    var timeZone: String

    init(_ store: Store) {
        self.slug = store.slug
        self.name = store.name
        self.currency = store.currency
        self.timeZone = store.timeZone
    }
}
