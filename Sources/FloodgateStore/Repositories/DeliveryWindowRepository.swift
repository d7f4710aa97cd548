import FloodgateCore
import SQLKit

/// A store's delivery windows and their live reservations.
public protocol DeliveryWindowRepository: Sendable {
    /// Windows on or after a local date, earliest first.
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
            try await db.select().column("*").from("delivery_windows")
                .where("store_id", .equal, storeID).where("date", .greaterThanOrEqual, fromDate)
                .orderBy("date").orderBy("time_from").all().map(DeliveryWindow.init(row:))
        }
    }

    public func window(storeID: Int, id: Int) async throws -> DeliveryWindow? {
        try await self.database.read { db in try await Self.window(storeID: storeID, id: id, on: db) }
    }

    static func window(storeID: Int, id: Int, on db: any SQLDatabase) async throws -> DeliveryWindow? {
        try await db.select().column("*").from("delivery_windows")
            .where("store_id", .equal, storeID).where("id", .equal, id).first().map(DeliveryWindow.init(row:))
    }

    /// Takes one place in a window if one is left: the single conditional update that makes overselling impossible.
    static func reservePlace(windowID: Int, on db: any SQLDatabase) async throws -> Bool {
        let row = try await db.raw(
            """
            UPDATE delivery_windows SET reserved = reserved + 1
            WHERE id = \(bind: windowID) AND reserved < capacity
            RETURNING reserved
            """
        ).first()
        return row != nil
    }
}

extension DeliveryWindow {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int.self),
            storeID: try row.decode(column: "store_id", as: Int.self),
            date: try row.decode(column: "date", as: String.self),
            from: try row.decode(column: "time_from", as: String.self),
            to: try row.decode(column: "time_to", as: String.self),
            capacity: try row.decode(column: "capacity", as: Int.self),
            reserved: try row.decode(column: "reserved", as: Int.self)
        )
    }
}

extension DeliveryWindowRepository {
    /// Windows a customer of the store can still choose (full ones included, with `remaining` 0).
    public func open(for store: Store) async throws -> [DeliveryWindow] {
        let local = LocalTime.now(in: store.timeZone)
        return try await self.windows(storeID: store.id, fromDate: local.date)
            .filter { $0.isOpen(atLocalDate: local.date, time: local.time) }
    }
}
