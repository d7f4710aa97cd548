import FloodgateCore

/// Florists' assembly sheets: one order per printed page — what goes in each bouquet, its photo, the card.
struct SheetsPage: PageModel {
    static let template = "admin-sheets"

    struct Line {
        var name: String
        var quantity: Int
        var photo: String?
        var composition: [CompositionLine]
    }

    struct Sheet {
        var number: String
        var delivery: String
        var lines: [Line]
        var cardMessage: String?
        var recipient: String
        var address: String
    }

    var chrome: AdminChrome
    var title: String
    var count: Int
    var sheets: [Sheet]

    init(chrome: AdminChrome, title: String, orders: [Order]) {
        self.chrome = chrome
        self.title = title
        self.count = orders.count
        self.sheets = orders.map { order in
            Sheet(
                number: order.number, delivery: WindowLabel.long(order.deliveryWindow),
                lines: order.lines.map {
                    Line(name: $0.name, quantity: $0.quantity, photo: $0.photo, composition: $0.composition)
                },
                cardMessage: order.cardMessage.nonEmpty, recipient: order.recipient.name,
                address: order.recipient.address
            )
        }
    }
}

/// A tour's courier manifest: one line per stop.
struct ManifestPage: PageModel {
    static let template = "admin-manifest"

    struct Stop {
        var index: Int
        var number: String
        var window: String
        var address: String
        var postcode: String?
        var recipient: String
        var phone: String
        var notes: String
        /// The courier's next step for this order, offered as a button beside it (nil: none from here).
        var step: Step?
    }

    struct Step {
        var action: String
        var from: String
        var to: String
        var label: String
    }

    var chrome: AdminChrome
    var tour: String
    var zones: String
    var count: Int
    var stops: [Stop]

    init(chrome: AdminChrome, tour: DeliveryWindow, zones: [Zone], orders: [Order]) {
        self.chrome = chrome
        self.tour = WindowLabel.long(tour)
        self.zones = zones.names(of: tour.zoneIDs, everywhere: "All areas")
        self.count = orders.count
        self.stops = orders.enumerated().map { index, order in
            let items = order.lines.reduce(0) { $0 + $1.quantity }
            return Stop(
                index: index + 1, number: order.number,
                window: "\(order.deliveryWindow.from)–\(order.deliveryWindow.to)",
                address: order.recipient.address, postcode: order.recipient.postcode.nonEmpty,
                recipient: order.recipient.name,
                phone: order.recipient.phone, notes: "\(items) item\(items == 1 ? "" : "s") · \(order.status.label)",
                step: order.status.next.flatMap { next in
                    guard chrome.can.deliverOrders, next == .outForDelivery || next == .delivered else { return nil }
                    return Step(
                        action: "\(chrome.base)/orders/\(order.number)/status", from: order.status.rawValue,
                        to: next.rawValue, label: next == .delivered ? "Delivered" : "Out for delivery")
                }
            )
        }
    }
}
