import FloodgateCore
import SQLKit

/// What the back-office changes about delivery: zones, weekly templates, tours and their capacities. Every change
/// is recorded in the audit log, in its transaction, as done by the ``Actor`` given.
public protocol TourRepository: Sendable {
    func zones(storeID: Int) async throws -> [Zone]
    /// Inserts a zone (id 0) or updates it; returns it as stored.
    func saveZone(_ zone: Zone, by actor: Actor) async throws -> Zone
    func templates(storeID: Int) async throws -> [TourTemplate]
    /// Inserts a template (id 0) or updates it; returns it as stored. Tours already generated keep their settings.
    func saveTemplate(_ template: TourTemplate, by actor: Actor) async throws -> TourTemplate
    /// Adds the tours the store's active templates give for the `days` days from today (each at most once,
    /// however often this runs; none whose cut-off has passed). Returns how many were added.
    func generateTours(store: Store, days: Int, by actor: Actor) async throws -> Int
    /// Tours between two local dates (inclusive).
    func tours(storeID: Int, from: String, to: String) async throws -> [DeliveryWindow]
    /// Adds a tour by hand; returns it as stored.
    func createTour(_ tour: DeliveryWindow, by actor: Actor) async throws -> DeliveryWindow
    /// Sets a tour's capacity; places it frees go to the waiting list first. Nil if there is no such tour.
    func setCapacity(storeID: Int, tourID: Int, capacity: Int, by actor: Actor) async throws -> DeliveryWindow?
}

/// ``TourRepository`` on the shop's database.
public struct SQLTourRepository: TourRepository {
    let database: Database
    /// How long an offer holds a place, in milliseconds (a capacity raise makes offers).
    let hold: Int64

    public init(database: Database, holdMinutes: Int = 30) {
        self.database = database
        self.hold = Int64(holdMinutes) * 60_000
    }

    public func zones(storeID: Int) async throws -> [Zone] {
        try await self.database.read { db in try await Self.zones(storeID: storeID, on: db) }
    }

    static func zones(storeID: Int, on db: any SQLDatabase) async throws -> [Zone] {
        try await db.select().column("*").from("zones").where("store_id", .equal, storeID).orderBy("id").all().map {
            row in
            Zone(
                id: try row.decode(column: "id", as: Int.self), storeID: storeID,
                name: try row.decode(column: "name", as: String.self),
                postcodes: try row.decode(column: "postcodes", as: String.self).split(separator: " ").map(String.init),
                fee: try row.decode(column: "fee", as: Int.self)
            )
        }
    }

    public func saveZone(_ zone: Zone, by actor: Actor) async throws -> Zone {
        let codes = zone.postcodes.joined(separator: " ")
        return try await self.database.transaction { db in
            let before = try await db.select().columns("name", "postcodes", "fee").from("zones")
                .where("id", .equal, zone.id).where("store_id", .equal, zone.storeID).first().map { row in
                    [
                        "name": try row.decode(column: "name", as: String.self),
                        "postcodes": try row.decode(column: "postcodes", as: String.self),
                        "fee": String(try row.decode(column: "fee", as: Int.self)),
                    ]
                }
            var saved = zone
            if zone.id == 0 {
                let row = try await db.raw(
                    """
                    INSERT INTO zones (store_id, name, postcodes, fee) VALUES (\(bind: zone.storeID), \(bind: zone.name), \(bind: codes), \
                    \(bind: zone.fee)) RETURNING id
                    """
                ).first()
                saved.id = try row?.decode(column: "id", as: Int.self) ?? 0
            } else {
                try await db.update("zones").set("name", to: zone.name).set("postcodes", to: codes).set(
                    "fee", to: zone.fee
                )
                .where("id", .equal, zone.id).where("store_id", .equal, zone.storeID).run()
            }
            try await AuditChain.append(
                AuditEntry(
                    before == nil ? "delivery.zone-add" : "delivery.zone-update", object: "zone", id: String(saved.id),
                    storeID: zone.storeID,
                    details: AuditEntry.changes(
                        before: before ?? [:], after: ["name": zone.name, "postcodes": codes, "fee": String(zone.fee)])),
                by: actor, on: db)
            return saved
        }
    }

    public func templates(storeID: Int) async throws -> [TourTemplate] {
        try await self.database.read { db in try await Self.templates(storeID: storeID, on: db) }
    }

    static func templates(storeID: Int, on db: any SQLDatabase) async throws -> [TourTemplate] {
        try await db.select().column("*").from("tour_templates").where("store_id", .equal, storeID).orderBy("id").all()
            .map { row in
                TourTemplate(
                    id: try row.decode(column: "id", as: Int.self), storeID: storeID,
                    weekdays: Self.ids(try row.decode(column: "weekdays", as: String.self)),
                    from: try row.decode(column: "time_from", as: String.self),
                    to: try row.decode(column: "time_to", as: String.self),
                    capacity: try row.decode(column: "capacity", as: Int.self),
                    zoneIDs: Self.ids(try row.decode(column: "zone_ids", as: String.self)),
                    cutoffDaysBefore: try row.decode(column: "cutoff_days", as: Int.self),
                    cutoffTime: try row.decode(column: "cutoff_time", as: String.self),
                    active: try row.decode(column: "active", as: Int.self) != 0
                )
            }
    }

    public func saveTemplate(_ template: TourTemplate, by actor: Actor) async throws -> TourTemplate {
        let (weekdays, zones) = (Self.list(template.weekdays), Self.list(template.zoneIDs))
        return try await self.database.transaction { db in
            let old = try await Self.templates(storeID: template.storeID, on: db)
            var saved = template
            if template.id == 0 {
                let row = try await db.raw(
                    """
                    INSERT INTO tour_templates (store_id, weekdays, time_from, time_to, capacity, zone_ids, cutoff_days, cutoff_time, active, \
                    created_at) VALUES (\(bind: template.storeID), \(bind: weekdays), \(bind: template.from), \(bind: template.to), \
                    \(bind: template.capacity), \(bind: zones), \(bind: template.cutoffDaysBefore), \(bind: template.cutoffTime), \
                    \(bind: template.active ? 1 : 0), \(bind: WallClock.nowMillis)) RETURNING id
                    """
                ).first()
                saved.id = try row?.decode(column: "id", as: Int.self) ?? 0
            } else {
                try await db.update("tour_templates").set("weekdays", to: weekdays).set("time_from", to: template.from)
                    .set("time_to", to: template.to).set("capacity", to: template.capacity).set("zone_ids", to: zones)
                    .set("cutoff_days", to: template.cutoffDaysBefore).set("cutoff_time", to: template.cutoffTime)
                    .set("active", to: template.active ? 1 : 0)
                    .where("id", .equal, template.id).where("store_id", .equal, template.storeID).run()
            }
            let before = template.id == 0 ? nil : old.first { $0.id == template.id }
            try await AuditChain.append(
                AuditEntry(
                    before == nil ? "delivery.template-add" : "delivery.template-update", object: "template",
                    id: String(saved.id), storeID: template.storeID,
                    details: AuditEntry.changes(before: before?.auditFields ?? [:], after: saved.auditFields)),
                by: actor, on: db)
            return saved
        }
    }

    public func generateTours(store: Store, days: Int, by actor: Actor) async throws -> Int {
        let local = LocalTime.now(in: store.timeZone)
        guard let today = CivilDate(local.date) else { return 0 }
        return try await self.database.transaction { db in
            var added = 0
            for template in try await Self.templates(storeID: store.id, on: db) {
                for tour in template.tours(from: today, days: days)
                where tour.isOpen(atLocalDate: local.date, time: local.time) {
                    if try await Self.insert(tour, on: db) != nil { added += 1 }
                }
            }
            // Only when it did something: the nightly task that finds every tour there adds no line.
            if added > 0 {
                try await AuditChain.append(
                    AuditEntry(
                        "delivery.tours-generate", object: "store", id: store.slug, storeID: store.id,
                        details: ["added": AuditChange(after: String(added)), "days": AuditChange(after: String(days))]),
                    by: actor, on: db)
            }
            return added
        }
    }

    public func tours(storeID: Int, from: String, to: String) async throws -> [DeliveryWindow] {
        try await self.database.read { db in
            try await SQLDeliveryWindowRepository.windows(storeID: storeID, fromDate: from, toDate: to, on: db)
        }
    }

    public func createTour(_ tour: DeliveryWindow, by actor: Actor) async throws -> DeliveryWindow {
        try await self.database.transaction { db in
            var saved = tour
            saved.id = try await Self.insert(tour, on: db) ?? 0
            try await AuditChain.append(
                AuditEntry(
                    "delivery.tour-add", object: "tour", id: String(saved.id), storeID: tour.storeID,
                    details: [
                        "date": AuditChange(after: tour.date), "time": AuditChange(after: "\(tour.from)–\(tour.to)"),
                        "capacity": AuditChange(after: String(tour.capacity)),
                        "zones": AuditChange(after: Self.list(tour.zoneIDs)),
                    ]),
                by: actor, on: db)
            return saved
        }
    }

    public func setCapacity(
        storeID: Int, tourID: Int, capacity: Int, by actor: Actor
    ) async throws -> DeliveryWindow? {
        try await self.database.transaction { db in
            let before = try await SQLDeliveryWindowRepository.window(storeID: storeID, id: tourID, on: db)
            let updated = try await db.raw(
                "UPDATE delivery_windows SET capacity = \(bind: capacity) WHERE id = \(bind: tourID) AND store_id = \(bind: storeID) RETURNING id"
            ).first()
            guard updated != nil, let before else { return nil }
            try await WaitlistLine.offerFreePlaces(windowID: tourID, hold: self.hold, on: db)
            try await AuditChain.append(
                AuditEntry(
                    "delivery.capacity", object: "tour", id: String(tourID), storeID: storeID,
                    details: ["capacity": AuditChange(before: String(before.capacity), after: String(capacity))]),
                by: actor, on: db)
            return try await SQLDeliveryWindowRepository.window(storeID: storeID, id: tourID, on: db)
        }
    }

    /// Inserts a tour and its zones; nil if its template already gave a tour that day.
    private static func insert(_ tour: DeliveryWindow, on db: any SQLDatabase) async throws -> Int? {
        let row = try await db.raw(
            """
            INSERT INTO delivery_windows (store_id, date, time_from, time_to, capacity, reserved, held, cutoff, template_id) \
            VALUES (\(bind: tour.storeID), \(bind: tour.date), \(bind: tour.from), \(bind: tour.to), \(bind: tour.capacity), 0, 0, \
            \(bind: tour.cutoff), \(bind: tour.templateID)) ON CONFLICT (template_id, date) DO NOTHING RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { return nil }
        for zone in Set(tour.zoneIDs).sorted() {
            try await db.raw("INSERT INTO tour_zones (window_id, zone_id) VALUES (\(bind: id), \(bind: zone))").run()
        }
        return id
    }

    static func ids(_ text: String) -> [Int] { text.split(separator: ",").compactMap { Int($0) } }
    static func list(_ ids: [Int]) -> String { ids.map(String.init).joined(separator: ",") }
}

extension TourTemplate {
    /// What the audit log compares.
    var auditFields: [String: String] {
        [
            "weekdays": SQLTourRepository.list(self.weekdays), "time": "\(self.from)–\(self.to)",
            "capacity": String(self.capacity), "zones": SQLTourRepository.list(self.zoneIDs),
            "cutoff": "\(self.cutoffDaysBefore)d \(self.cutoffTime)", "active": self.active ? "yes" : "no",
        ]
    }
}
