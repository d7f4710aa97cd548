import FloodgateCore
import SQLKit

/// A store's delivery tours (windows) and their live reservations, as customers see them.
public protocol DeliveryWindowRepository: Sendable {
    /// Tours on or after a local date, earliest first, with the zones they serve.
    func windows(storeID: Int, fromDate: String) async throws -> [DeliveryWindow]
    func window(storeID: Int, id: Int) async throws -> DeliveryWindow?
}

/// ``DeliveryWindowRepository`` on the shop's database.
public struct SQLDeliveryWindowRepository: DeliveryWindowRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func windows(storeID: Int, fromDate: String) async throws -> [DeliveryWindow] {
        try await self.database.read { db in
            try await Self.windows(storeID: storeID, fromDate: fromDate, toDate: nil, on: db)
        }
    }

    public func window(storeID: Int, id: Int) async throws -> DeliveryWindow? {
        try await self.database.read { db in try await Self.window(storeID: storeID, id: id, on: db) }
    }

    /// Tours from one local date up to another (inclusive, nil: no end), zones included.
    static func windows(
        storeID: Int, fromDate: String, toDate: String?, on db: any SQLDatabase
    ) async throws -> [DeliveryWindow] {
        var query = db.select().column("*").from("delivery_windows")
            .where("store_id", .equal, storeID).where("date", .greaterThanOrEqual, fromDate)
        if let toDate { query = query.where("date", .lessThanOrEqual, toDate) }
        var windows = try await query.orderBy("date").orderBy("time_from").orderBy("id").all().map(
            DeliveryWindow.init(row:))
        guard !windows.isEmpty else { return [] }
        // One query for the zones of all of them, not one per tour.
        var zones: [Int: [Int]] = [:]
        var zoneQuery = db.select().columns(
            SQLColumn("window_id", table: "tour_zones"), SQLColumn("zone_id", table: "tour_zones")
        )
        .from("tour_zones")
        .join(
            "delivery_windows", on: SQLColumn("window_id", table: "tour_zones"), .equal,
            SQLColumn("id", table: "delivery_windows")
        )
        .where(SQLColumn("store_id", table: "delivery_windows"), .equal, SQLBind(storeID))
        .where(SQLColumn("date", table: "delivery_windows"), .greaterThanOrEqual, SQLBind(fromDate))
        if let toDate {
            zoneQuery = zoneQuery.where(SQLColumn("date", table: "delivery_windows"), .lessThanOrEqual, SQLBind(toDate))
        }
        for row in try await zoneQuery.orderBy(SQLColumn("zone_id", table: "tour_zones")).all() {
            zones[try row.decode(column: "window_id", as: Int.self), default: []].append(
                try row.decode(column: "zone_id", as: Int.self))
        }
        for index in windows.indices { windows[index].zoneIDs = zones[windows[index].id] ?? [] }
        return windows
    }

    /// One window with the zones its tour serves, in one query (a row per zone): every checkout reads it.
    static func window(storeID: Int, id: Int, on db: any SQLDatabase) async throws -> DeliveryWindow? {
        try Self.window(rows: try await db.raw("\(Self.windowWithZones.binding([storeID, id]))").all())
    }

    /// Hand-written: built with SQLKit, the join cost a checkout on SQLite more than the query saved. `$1` is the
    /// store, `$2` the window. Its columns are named, not `*`: PostgreSQL refuses to run a prepared statement
    /// whose columns changed, as they would for every running instance when another one adds a column.
    static let windowWithZones = NumberedSQL(
        """
        SELECT delivery_windows.id, delivery_windows.store_id, delivery_windows.date, delivery_windows.time_from, \
        delivery_windows.time_to, delivery_windows.capacity, delivery_windows.reserved, delivery_windows.held, \
        delivery_windows.cutoff, delivery_windows.template_id, tour_zones.zone_id AS tour_zone_id FROM delivery_windows \
        LEFT JOIN tour_zones ON tour_zones.window_id = delivery_windows.id \
        WHERE delivery_windows.store_id = $1 AND delivery_windows.id = $2 ORDER BY tour_zones.zone_id
        """
    )

    /// The window in the rows of ``windowWithZones``, with its zones; nil without rows.
    static func window(rows: [any SQLRow]) throws -> DeliveryWindow? {
        guard var window = try rows.first.map(DeliveryWindow.init(row:)) else { return nil }
        window.zoneIDs = try rows.compactMap { try $0.decode(column: "tour_zone_id", as: Int?.self) }
        return window
    }

    /// Takes one free place in a tour if one is left: the single conditional update that makes overselling
    /// impossible. Places held for the waiting list are not free.
    static func reservePlace(windowID: Int, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("\(Self.reservePlaceStatement.binding([windowID]))").first() != nil
    }

    /// Takes one free place of the window `$1`; it returns the window's id, and no row when the window is full.
    static let reservePlaceStatement = NumberedSQL(
        "UPDATE delivery_windows SET reserved = reserved + 1 WHERE id = $1 AND reserved + held < capacity RETURNING id"
    )
}

extension DeliveryWindow {
    /// The window in a row with these columns (``SQLDeliveryWindowRepository/windowWithZones`` names them).
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int.self),
            storeID: try row.decode(column: "store_id", as: Int.self),
            date: try row.decode(column: "date", as: String.self),
            from: try row.decode(column: "time_from", as: String.self),
            to: try row.decode(column: "time_to", as: String.self),
            capacity: try row.decode(column: "capacity", as: Int.self),
            reserved: try row.decode(column: "reserved", as: Int.self),
            held: try row.decode(column: "held", as: Int.self),
            cutoff: try row.decode(column: "cutoff", as: String?.self),
            templateID: try row.decode(column: "template_id", as: Int?.self)
        )
    }
}

extension DeliveryWindowRepository {
    /// Tours a customer of the store can still choose (full ones included, with `remaining` 0).
    public func open(for store: Store) async throws -> [DeliveryWindow] {
        let local = LocalTime.now(in: store.timeZone)
        return try await self.windows(storeID: store.id, fromDate: local.date)
            .filter { $0.isOpen(atLocalDate: local.date, time: local.time) }
    }
}
