import FloodgateCore

/// `/admin/{store}/tours`: the coming tours, their places and lines; owners change capacities and add tours.
struct ToursPage: PageModel {
    static let template = "admin-tours"

    struct Row {
        var day: String
        var time: String
        var zones: String
        var closes: String
        var orders: Int
        var held: Int
        var remaining: Int
        var waiting: Int
        var capacity: Int
        var full: Bool
        var ordersURL: String
        var waitlistURL: String
        var capacityAction: String
    }

    struct ZoneOption {
        var id: Int
        var name: String
    }

    struct Draft {
        var date = ""
        var from = "09:00"
        var to = "13:00"
        var capacity = "20"
        var cutoff = ""
    }

    var chrome: AdminChrome
    var tours: [Row]
    var zones: [ZoneOption]
    var createAction: String
    var draft: Draft
    var errors: [String]

    init(
        chrome: AdminChrome, store: Store, tours: [DeliveryWindow], zones: [Zone], waiting: [Int: Int],
        draft: Draft = Draft(), errors: [String] = []
    ) {
        self.chrome = chrome
        let base = "/admin/\(store.slug)"
        self.tours = tours.map { tour in
            Row(
                day: WindowLabel.day(tour.date), time: "\(tour.from)–\(tour.to)",
                zones: zones.names(of: tour.zoneIDs, everywhere: "everywhere"), closes: tour.closesAt,
                orders: tour.reserved, held: tour.held, remaining: tour.remaining, waiting: waiting[tour.id] ?? 0,
                capacity: tour.capacity,
                full: tour.remaining == 0, ordersURL: "\(base)/orders?tour=\(tour.id)",
                waitlistURL: "\(base)/tours/\(tour.id)/waitlist",
                capacityAction: "\(base)/tours/\(tour.id)/capacity"
            )
        }
        self.zones = zones.map { ZoneOption(id: $0.id, name: $0.name) }
        self.createAction = "\(base)/tours"
        self.draft = draft
        self.errors = errors
    }
}

/// `/admin/{store}/tours/{id}/waitlist`
struct WaitlistAdminPage: PageModel {
    static let template = "admin-waitlist"

    struct Row {
        var position: String
        var name: String
        var email: String
        var phone: String
        var since: String
        var status: String
    }

    var chrome: AdminChrome
    var tour: String
    var remaining: Int
    var held: Int
    var entries: [Row]
    var hasEntries: Bool

    init(chrome: AdminChrome, store: Store, tour: DeliveryWindow, entries: [WaitlistEntry]) {
        self.chrome = chrome
        self.tour = WindowLabel.long(tour)
        self.remaining = tour.remaining
        self.held = tour.held
        var position = 0
        self.entries = entries.map { entry in
            let waiting = entry.status == .waiting
            if waiting { position += 1 }
            let status =
                entry.status == .offered
                ? "place held until \(AdminTime.format(entry.holdUntil ?? 0, in: store.timeZone))"
                : entry.status.rawValue
            return Row(
                position: waiting ? String(position) : "", name: entry.name, email: entry.email, phone: entry.phone,
                since: AdminTime.format(entry.createdAt, in: store.timeZone), status: status
            )
        }
        self.hasEntries = !entries.isEmpty
    }
}

/// `/admin/{store}/delivery`: zones and weekly templates.
struct DeliveryPage: PageModel {
    static let template = "admin-delivery"

    struct ZoneRow {
        var id: Int
        var name: String
        var postcodes: String
        var fee: String
        var action: String
    }

    struct TemplateRow {
        var days: String
        var time: String
        var zones: String
        var capacity: Int
        var cutoff: String
    }

    struct Weekday {
        var number: Int
        var name: String
    }

    var chrome: AdminChrome
    var zones: [ZoneRow]
    var templates: [TemplateRow]
    var weekdays: [Weekday]
    var zoneAction: String
    var templateAction: String
    var generateAction: String
    var daysAhead: Int
    var errors: [String]

    init(
        chrome: AdminChrome, store: Store, zones: [Zone], templates: [TourTemplate], daysAhead: Int,
        errors: [String] = []
    ) {
        self.chrome = chrome
        let base = "/admin/\(store.slug)"
        self.zones = zones.map {
            ZoneRow(
                id: $0.id, name: $0.name, postcodes: $0.postcodes.joined(separator: ", "),
                fee: CatalogCSV.price($0.fee), action: "\(base)/zones")
        }
        self.templates = templates.map { template in
            TemplateRow(
                days: template.weekdays.sorted().map { TourTemplate.weekdayNames[$0 - 1] }.joined(separator: ", "),
                time: "\(template.from)–\(template.to)",
                zones: zones.names(of: template.zoneIDs, everywhere: "everywhere"),
                capacity: template.capacity,
                cutoff: template.cutoffDaysBefore == 0
                    ? "same day \(template.cutoffTime)"
                    : "\(template.cutoffDaysBefore) day(s) before, \(template.cutoffTime)"
            )
        }
        self.weekdays = TourTemplate.weekdayNames.enumerated().map { Weekday(number: $0 + 1, name: $1) }
        self.zoneAction = "\(base)/zones"
        self.templateAction = "\(base)/templates"
        self.generateAction = "\(base)/tours/generate"
        self.daysAhead = daysAhead
        self.errors = errors
    }
}
