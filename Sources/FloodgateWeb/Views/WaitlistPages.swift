import FloodgateCore
import Foundation

/// `/s/{store}/tours/{id}/waitlist`: the form to join a full tour's waiting list, re-shown with messages.
struct WaitlistJoinPage: PageModel {
    static let template = "waitlist-join"

    var chrome: Chrome
    var tour: String
    var zones: String?
    var action: String
    var items: String
    var lines: [CartLineView]
    var hasLines: Bool
    var name: CheckoutPage.Field
    var email: CheckoutPage.Field
    var phone: CheckoutPage.Field
    /// The tour has places after all: the customer should simply order.
    var placesLeft: Int
    var checkoutURL: String
    var alerts: [String]
    var hasErrors: Bool

    init(
        store: Store, tour: DeliveryWindow, zones: [Zone], cart: Cart, priced: PricedCart,
        draft: WaitlistRequest.Draft = .init(
            name: nil, email: nil, phone: nil, cart: nil), errors: [FieldError] = [], alerts: [String] = []
    ) {
        func field(_ name: String, _ label: String, _ value: String?) -> CheckoutPage.Field {
            let messages = errors.filter { $0.field == name }.map(\.message)
            return CheckoutPage.Field(
                name: name, label: label, value: value ?? "", errors: messages, hasError: !messages.isEmpty)
        }
        self.chrome = Chrome(title: "Waiting list — \(store.name)", store: store, cartCount: cart.itemCount)
        self.tour = WindowLabel.long(tour)
        self.zones = zones.names(of: tour.zoneIDs).nonEmpty
        self.action = "/s/\(store.slug)/tours/\(tour.id)/waitlist"
        self.items = cart.encoded
        self.lines = priced.lines
        self.hasLines = !priced.lines.isEmpty
        self.name = field("name", "Your name", draft.name)
        self.email = field("email", "Your email (the offer comes here)", draft.email)
        self.phone = field("phone", "Your phone", draft.phone)
        self.placesLeft = tour.remaining
        self.checkoutURL = "/s/\(store.slug)/checkout"
        self.alerts = alerts
        self.hasErrors = !errors.isEmpty
    }
}

/// `/s/{store}/tours/{id}/waitlist/sent`: after joining, where the link went. It names no entry, so it is the
/// same for a new place in line and for an address that was already there.
struct WaitlistSentPage: PageModel {
    static let template = "waitlist-sent"

    var chrome: Chrome
    var tour: String
    var storeURL: String

    init(store: Store, tour: DeliveryWindow, cart: Cart) {
        self.chrome = Chrome(title: "Waiting list — \(store.name)", store: store, cartCount: cart.itemCount)
        self.tour = WindowLabel.long(tour)
        self.storeURL = "/s/\(store.slug)/"
    }
}

/// `/s/{store}/waitlist/{token}`: where a person in line stands (a held place shows the checkout instead).
struct WaitlistEntryPage: PageModel {
    static let template = "waitlist-entry"

    var chrome: Chrome
    var tour: String
    var name: String
    var isWaiting: Bool
    var position: Int
    var isConverted: Bool
    var isExpired: Bool
    var hasLeft: Bool
    var leaveAction: String
    var storeURL: String

    init(store: Store, entry: WaitlistEntry, tour: DeliveryWindow?, position: Int) {
        self.chrome = Chrome(title: "Waiting list — \(store.name)", store: store)
        self.tour = tour.map(WindowLabel.long) ?? ""
        self.name = entry.name
        self.isWaiting = entry.status == .waiting || entry.status == .offered
        self.position = position
        self.isConverted = entry.status == .converted
        self.isExpired = entry.status == .expired
        self.hasLeft = entry.status == .left
        self.leaveAction = "/s/\(store.slug)/waitlist/\(entry.token)/leave"
        self.storeURL = "/s/\(store.slug)/"
    }
}

extension WaitlistEntry {
    /// When the hold ends, as a date.
    var holdDate: Date { Date(timeIntervalSince1970: Double(self.holdUntil ?? 0) / 1_000) }
}
