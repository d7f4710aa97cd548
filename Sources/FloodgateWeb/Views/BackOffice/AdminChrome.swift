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
    var isOwner: Bool
    var csrf: String
    var stores: [StoreLink]
    /// nil: no message (Mustache treats an empty string as true).
    var flash: String?

    init(title: String, session: StaffSession?, store: Store? = nil, stores: [Store] = [], flash: String? = nil) {
        self.title = title + " — Floodgate back-office"
        self.signedIn = session != nil
        self.storeName = store?.name ?? "Floodgate"
        self.base = "/admin/\(store?.slug ?? "")"
        self.staffName = session?.staff.name ?? ""
        self.role = session?.staff.role.rawValue ?? ""
        self.isOwner = session?.staff.role == .owner
        self.csrf = session?.csrf ?? ""
        self.stores =
            stores.count > 1 ? stores.map { StoreLink(slug: $0.slug, name: $0.name, current: $0.id == store?.id) } : []
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
