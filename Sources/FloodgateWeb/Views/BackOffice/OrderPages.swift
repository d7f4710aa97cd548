import FloodgateCore
import FloodgateStore
import Foundation

/// `/admin/{store}/orders`: the filtered list, a page at a time.
struct OrderListPage: PageModel {
    static let template = "admin-orders"

    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct TourOption {
        var id: Int
        var label: String
        var selected: Bool
    }

    struct Row {
        var number: String
        var url: String
        var delivery: String
        var status: String
        var statusLabel: String
        var customer: String
        var customerPhone: String
        var recipient: String
        var recipientPhone: String
        var address: String
        var total: String
    }

    var chrome: AdminChrome
    var action: String
    var date: String
    var query: String
    var tours: [TourOption]
    var statuses: [Option]
    var orders: [Row]
    var hasOrders: Bool
    var nextURL: String?
    var filterErrors: [String]

    init(
        chrome: AdminChrome, store: Store, filter: OrderFilter, page: OrderListing, tours: [DeliveryWindow],
        query: [String: String], errors: [String]
    ) {
        self.chrome = chrome
        let base = "/admin/\(store.slug)"
        self.action = "\(base)/orders"
        self.date = filter.date ?? ""
        self.query = filter.text ?? ""
        self.tours = tours.map {
            TourOption(id: $0.id, label: WindowLabel.long($0), selected: $0.id == filter.windowID)
        }
        self.statuses = OrderStatus.allCases.map {
            Option(value: $0.rawValue, label: $0.label, selected: $0 == filter.status)
        }
        self.orders = page.orders.map { order in
            let number = OrderNumber.make(prefix: store.orderPrefix, id: order.id)
            return Row(
                number: number, url: "\(base)/orders/\(number)", delivery: WindowLabel.long(order.window),
                status: order.status.rawValue,
                statusLabel: order.status.label, customer: order.customerName, customerPhone: order.customerPhone,
                recipient: order.recipientName,
                recipientPhone: order.recipientPhone, address: order.address, total: order.total.formatted
            )
        }
        self.hasOrders = !self.orders.isEmpty
        if let next = page.next {
            var items = query.filter { $0.key != "before" && !$0.value.isEmpty }.sorted { $0.key < $1.key }.map {
                "\($0.key)=\(Self.encode($0.value))"
            }
            items.append("before=\(next)")
            self.nextURL = "\(base)/orders?" + items.joined(separator: "&")
        } else {
            self.nextURL = nil
        }
        self.filterErrors = errors
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

/// `/admin/{store}/orders/{number}`: everything about one order, its history, and the next step.
struct OrderDetailPage: PageModel {
    static let template = "admin-order"
    /// The order's story from the audit log: every change, by whom, in which role, from where.
    var rows: [AuditRow] = []

    struct Line {
        var name: String
        var quantity: Int
        var lineTotal: String
        var composition: [CompositionLine]
    }

    struct Event {
        var at: String
        var from: String
        var to: String
        var staff: String
        var reason: String?
    }

    var chrome: AdminChrome
    var number: String
    var status: String
    var statusLabel: String
    var lines: [Line]
    var hasFee: Bool
    var fee: String
    var total: String
    var cardMessage: String?
    var delivery: String
    var recipient: String
    var recipientPhone: String
    var address: String
    var postcode: String?
    var customer: String
    var customerPhone: String
    var customerEmail: String
    /// The step this viewer may take next; nil hides the button (Mustache shows a section for an empty string).
    var nextStatus: String?
    var nextLabel: String
    var canCancel: Bool
    var statusAction: String
    var sheetURL: String
    var ordersURL: String
    var placedAt: String
    var events: [Event]
    var alerts: [String]

    /// `permissions`: what the viewer may do here; only the steps their role takes are offered.
    init(
        chrome: AdminChrome, store: Store, order: Order, events: [OrderEvent], alerts: [String] = [],
        permissions: Set<Permission> = Set(Permission.allCases)
    ) {
        self.chrome = chrome
        let base = "/admin/\(store.slug)"
        let currency = order.total.currency
        self.number = order.number
        self.status = order.status.rawValue
        self.statusLabel = order.status.label
        self.lines = order.lines.map {
            Line(
                name: $0.name, quantity: $0.quantity,
                lineTotal: Money(minorUnits: $0.lineTotal, currency: currency).formatted, composition: $0.composition)
        }
        self.hasFee = order.deliveryFee > 0
        self.fee = Money(minorUnits: order.deliveryFee, currency: currency).formatted
        self.total = order.total.formatted
        self.cardMessage = order.cardMessage.nonEmpty
        self.delivery = WindowLabel.long(order.deliveryWindow)
        self.recipient = order.recipient.name
        self.recipientPhone = order.recipient.phone
        self.address = order.recipient.address
        self.postcode = order.recipient.postcode.nonEmpty
        self.customer = order.customer.name
        self.customerPhone = order.customer.phone
        self.customerEmail = order.customer.email
        let next = order.status.next.flatMap { order.status.allows($0, with: permissions) ? $0 : nil }
        self.nextStatus = next?.rawValue
        self.nextLabel = next?.label ?? ""
        self.canCancel = order.status.allows(.cancelled, with: permissions)
        self.statusAction = "\(base)/orders/\(order.number)/status"
        self.sheetURL = "\(base)/orders/\(order.number)/sheet"
        self.ordersURL = "\(base)/orders"
        self.placedAt = AdminTime.format(order.createdAt, in: store.timeZone)
        self.events = events.map {
            Event(
                at: AdminTime.format($0.at, in: store.timeZone), from: $0.from.label, to: $0.to.label,
                staff: $0.staffName, reason: $0.reason.nonEmpty)
        }
        self.alerts = alerts
    }
}

/// Stored instants as the shop reads them: `2026-02-14 09:31` in the store's time zone.
enum AdminTime {
    static func format(_ millis: Int64, in timeZone: String) -> String {
        let local = LocalTime.now(in: timeZone, at: Date(timeIntervalSince1970: Double(millis) / 1_000))
        return "\(local.date) \(local.time)"
    }
}
