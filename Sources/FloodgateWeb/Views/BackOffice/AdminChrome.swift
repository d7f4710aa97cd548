import FloodgateCore
import FloodgateStore

/// What every back-office page's header shows: the store, who is signed in, and the token their forms carry.
struct AdminChrome {
    struct StoreLink {
        var slug: String
        var name: String
        var current: Bool
    }

    var title: String
    var signedIn: Bool
    var storeName: String
    /// `/admin/{store}`
    var base: String
    var staffName: String
    var role: String
    /// What their role in this store lets them see: the links and forms a page shows (the routes check again).
    var can: Can
    var csrf: String
    var stores: [StoreLink]
    /// nil: no message (Mustache treats an empty string as true).
    var flash: String?

    struct Can {
        var viewOrders = false
        var deliverOrders = false
        var editCatalog = false
        var editDelivery = false
        var exports = false
        var manageStaff = false
        var readAudit = false

        init(_ permissions: Set<Permission>) {
            self.viewOrders = permissions.contains(.viewOrders)
            self.deliverOrders = permissions.contains(.deliverOrders)
            self.editCatalog = permissions.contains(.editCatalog)
            self.editDelivery = permissions.contains(.editDelivery)
            self.exports = permissions.contains(.exportOrders) || permissions.contains(.editCatalog)
            self.manageStaff = permissions.contains(.manageStaff)
            self.readAudit = permissions.contains(.readAudit)
        }
    }

    init(title: String, session: StaffSession?, store: Store? = nil, stores: [Store] = [], flash: String? = nil) {
        self.title = title + " — Floodgate back-office"
        self.signedIn = session != nil
        self.storeName = store?.name ?? "Floodgate"
        self.base = "/admin/\(store?.slug ?? "")"
        self.staffName = session?.staff.name ?? ""
        let grant = store.flatMap { session?.grant(storeID: $0.id) }
        self.role = grant?.label ?? ""
        self.can = Can(grant?.permissions ?? [])
        self.csrf = session?.csrf ?? ""
        // Only the stores they work in.
        let mine = stores.filter { session?.grant(storeID: $0.id) != nil }
        self.stores =
            mine.count > 1 ? mine.map { StoreLink(slug: $0.slug, name: $0.name, current: $0.id == store?.id) } : []
        self.flash = flash?.nonEmpty
    }
}

/// `/admin/login`
struct LoginPage: PageModel {
    static let template = "admin-login"
    var chrome: AdminChrome
    var csrf: String
    var next: String
    var email: String
    var error: String?
}

/// `/admin/{store}/`: today and tomorrow, tour by tour.
struct DashboardPage: PageModel {
    static let template = "admin-dashboard"

    struct TourRow {
        var time: String
        var zones: String
        var orders: Int
        var capacity: Int
        var remaining: Int
        var held: Int
        var waiting: Int
        var full: Bool
        var ordersURL: String
        var manifestURL: String
        var sheetsURL: String
        var waitlistURL: String
    }

    struct Day {
        var label: String
        var date: String
        var tours: [TourRow]
        var hasTours: Bool
        var sheetsURL: String
        var ordersURL: String
    }

    var chrome: AdminChrome
    var days: [Day]

    init(
        chrome: AdminChrome, store: Store, dates: [(String, String)], tours: [DeliveryWindow], zones: [Zone],
        waiting: [Int: Int]
    ) {
        self.chrome = chrome
        let base = "/admin/\(store.slug)"
        self.days = dates.map { label, date in
            let rows = tours.filter { $0.date == date }.map { tour in
                TourRow(
                    time: "\(tour.from)–\(tour.to)", zones: zones.names(of: tour.zoneIDs), orders: tour.reserved,
                    capacity: tour.capacity, remaining: tour.remaining, held: tour.held, waiting: waiting[tour.id] ?? 0,
                    full: tour.remaining == 0,
                    ordersURL: "\(base)/orders?tour=\(tour.id)", manifestURL: "\(base)/tours/\(tour.id)/manifest",
                    sheetsURL: "\(base)/tours/\(tour.id)/sheets", waitlistURL: "\(base)/tours/\(tour.id)/waitlist"
                )
            }
            return Day(
                label: label, date: date, tours: rows, hasTours: !rows.isEmpty,
                sheetsURL: "\(base)/days/\(date)/sheets",
                ordersURL: "\(base)/orders?date=\(date)"
            )
        }
    }
}

extension String {
    /// The string, or nil when empty: Mustache sections treat an empty string as true, nil as false.
    var nonEmpty: String? { self.isEmpty ? nil : self }
}
