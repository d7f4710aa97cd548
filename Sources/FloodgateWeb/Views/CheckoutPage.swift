import FloodgateCore
import Foundation

/// `/s/{store}/checkout`: the order form, re-shown with messages when something needs fixing.
struct CheckoutPage: PageModel {
    static let template = "checkout"

    /// What the customer typed, kept when the form is shown again.
    struct Values {
        var customerName = ""
        var customerPhone = ""
        var customerEmail = ""
        var recipientName = ""
        var recipientPhone = ""
        var address = ""
        var cardMessage = ""
        var postcode = ""
        var window = 0
    }

    /// A place held for this customer from a waiting list: the form is for that tour only.
    struct Held {
        var token: String
        var window: DeliveryWindow
        /// `14:35` in the store's time zone.
        var until: String
    }

    struct Field {
        var name: String
        var label: String
        var value: String
        var errors: [String]
        /// Stored, not computed: templates see stored properties only.
        var hasError: Bool
    }

    struct WindowOption {
        var id: Int
        var label: String
        var remaining: Int
        var selected: Bool
        var fewLeft: Bool
        /// The zones served, `North, Centre`; empty for a tour to every address.
        var zones: String?
        var full: Bool
        var waitlistURL: String
    }

    struct Day {
        var label: String
        var windows: [WindowOption]
    }

    var chrome: Chrome
    var lines: [CartLineView]
    var total: String
    var action: String
    var cartURL: String
    var items: String
    var idempotencyKey: String
    var customerName: Field
    var customerPhone: Field
    var customerEmail: Field
    var recipientName: Field
    var recipientPhone: Field
    var address: Field
    var postcode: Field
    /// Whether the shop delivers by zone (then the postcode is asked).
    var hasZones: Bool
    var zoneHint: String
    var cardMessage: Field
    var windowErrors: [String]
    var hasWindowError: Bool
    var days: [Day]
    var noWindows: Bool
    /// Problems that are not about one field (a full window, an unavailable product).
    var alerts: [String]
    var hasErrors: Bool
    var isHeld: Bool
    var holdToken: String
    var heldLabel: String
    var heldUntil: String
    var heldWindow: Int

    init(
        store: Store, cart: Cart, priced: PricedCart, windows: [DeliveryWindow], zones: [Zone] = [], held: Held? = nil,
        values: Values,
        idempotencyKey: String, errors: [FieldError] = [], alerts: [String] = []
    ) {
        func field(_ name: String, _ label: String, _ value: String, _ path: String) -> Field {
            let messages = errors.filter { $0.field == path }.map(\.message)
            return Field(name: name, label: label, value: value, errors: messages, hasError: !messages.isEmpty)
        }
        self.chrome = Chrome(title: "Checkout — \(store.name)", store: store, cartCount: cart.itemCount)
        self.lines = priced.lines
        self.total = priced.total.formatted
        self.action = "/s/\(store.slug)/checkout"
        self.cartURL = "/s/\(store.slug)/cart"
        self.items = cart.encoded
        self.idempotencyKey = idempotencyKey
        self.customerName = field("customer_name", "Your name", values.customerName, "customer.name")
        self.customerPhone = field("customer_phone", "Your phone", values.customerPhone, "customer.phone")
        self.customerEmail = field(
            "customer_email", "Your email (for the confirmation)", values.customerEmail, "customer.email")
        self.recipientName = field("recipient_name", "Recipient's name", values.recipientName, "recipient.name")
        self.recipientPhone = field(
            "recipient_phone", "Recipient's phone (the courier calls it)", values.recipientPhone, "recipient.phone")
        self.address = field("address", "Delivery address", values.address, "recipient.address")
        self.postcode = field("postcode", "Postcode or district", values.postcode, "recipient.postcode")
        self.hasZones = !zones.isEmpty
        self.zoneHint = zones.map(\.name).joined(separator: ", ")
        self.isHeld = held != nil
        self.holdToken = held?.token ?? ""
        self.heldLabel = held.map { WindowLabel.long($0.window) } ?? ""
        self.heldUntil = held?.until ?? ""
        self.heldWindow = held?.window.id ?? 0
        self.cardMessage = field("card_message", "Card message", values.cardMessage, "cardMessage")
        self.windowErrors = errors.filter { $0.field == "deliveryWindow" }.map(\.message)
        self.hasWindowError = !self.windowErrors.isEmpty
        var days: [Day] = []
        // Full tours are listed too, each with its waiting list: nobody should queue without knowing.
        for window in held == nil ? windows : [] {
            let option = WindowOption(
                id: window.id, label: "\(window.from)–\(window.to)", remaining: window.remaining,
                selected: window.id == values.window, fewLeft: window.remaining <= 3 && window.remaining > 0,
                zones: zones.names(of: window.zoneIDs).nonEmpty, full: window.remaining == 0,
                waitlistURL: "/s/\(store.slug)/tours/\(window.id)/waitlist"
            )
            if days.last?.label == WindowLabel.day(window.date) {
                days[days.count - 1].windows.append(option)
            } else {
                days.append(Day(label: WindowLabel.day(window.date), windows: [option]))
            }
        }
        self.days = days
        self.noWindows = held == nil && !windows.contains { $0.remaining > 0 }
        // Messages about fields that have no input of their own (items, unknown products) join the alerts.
        let shown: Set<String> = [
            "customer.name", "customer.phone", "customer.email", "recipient.name", "recipient.phone",
            "recipient.address",
            "recipient.postcode", "cardMessage", "deliveryWindow",
        ]
        self.alerts = alerts + errors.filter { !shown.contains($0.field) }.map(\.message)
        self.hasErrors = !errors.isEmpty || !alerts.isEmpty
    }
}

/// `/s/{store}/orders/{number}?token=…`: the confirmation a customer keeps.
struct OrderPage: PageModel {
    static let template = "order"

    struct Line {
        var name: String
        var quantity: Int
        var unitPrice: String
        var lineTotal: String
        var photo: String
        var composition: [CompositionLine]
    }

    var chrome: Chrome
    var number: String
    var status: String
    var lines: [Line]
    var total: String
    var window: String
    var recipientName: String
    var recipientPhone: String
    var address: String
    var cardMessage: String
    var hasCardMessage: Bool
    var customerEmail: String
    var justPlaced: Bool

    init(store: Store, order: Order, justPlaced: Bool) {
        self.chrome = Chrome(title: "Order \(order.number) — \(store.name)", store: store)
        self.number = order.number
        self.status = order.status.rawValue.replacingOccurrences(of: "-", with: " ")
        self.lines = order.lines.map {
            Line(
                name: $0.name, quantity: $0.quantity,
                unitPrice: Money(minorUnits: $0.unitPrice, currency: order.total.currency).formatted,
                lineTotal: Money(minorUnits: $0.lineTotal, currency: order.total.currency).formatted,
                photo: $0.photo ?? "/static/no-photo.svg", composition: $0.composition
            )
        }
        self.total = order.total.formatted
        self.window = WindowLabel.long(order.deliveryWindow)
        self.recipientName = order.recipient.name
        self.recipientPhone = order.recipient.phone
        self.address = order.recipient.address
        self.cardMessage = order.cardMessage
        self.hasCardMessage = !order.cardMessage.isEmpty
        self.customerEmail = order.customer.email
        self.justPlaced = justPlaced
    }
}
