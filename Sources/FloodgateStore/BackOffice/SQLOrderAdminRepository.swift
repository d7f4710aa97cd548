import FloodgateCore
import SQLKit

/// ``OrderAdminRepository`` on the shop's database.
public struct SQLOrderAdminRepository: OrderAdminRepository {
    let database: Database
    /// How long a waiting-list offer holds a place freed by a cancellation, in milliseconds.
    let hold: Int64

    /// Most orders a search word may match to be looked up by id; past it the word counts as common.
    let rareWord: Int

    public init(database: Database, holdMinutes: Int = 30, rareWord: Int = 20_000) {
        self.database = database
        self.hold = Int64(holdMinutes) * 60_000
        self.rareWord = rareWord
    }

    public func list(_ filter: OrderFilter) async throws -> OrderListing {
        let limit = max(1, min(filter.limit, 200))
        let rows = try await self.database.read { db in
            func query() -> SQLSelectBuilder {
                var query = db.select()
                    .columns("id", "status", "total", "currency", "window_id", "window_date", "window_from", "window_to", "customer_name")
                    .columns("customer_phone", "recipient_name", "recipient_phone", "recipient_address", "created_at")
                    .from("orders").where("store_id", .equal, filter.storeID)
                if let date = filter.date { query = query.where("window_date", .equal, date) }
                if let window = filter.windowID { query = query.where("window_id", .equal, window) }
                if let status = filter.status { query = query.where("status", .equal, status.rawValue) }
                if let before = filter.before { query = query.where("id", .lessThan, before) }
                return query
            }
            guard let text = filter.text?.trimmingSpaces, !text.isEmpty else {
                return try await query().orderBy("id", .descending).limit(limit + 1).all()
            }
            if let id = try await Self.orderID(in: text, storeID: filter.storeID, on: db) {
                return try await query().where("id", .equal, id).all()
            }
            let words = OrderSearch.ranges(for: text)
            guard !words.isEmpty else { return [] }
            // A search of rare words: its orders by id, newest first, a slice at a time — the database never reads
            // the orders to find them.
            if let ids = try await Self.candidates(words, storeID: filter.storeID, before: filter.before, rareWord: self.rareWord, on: db) {
                var found: [any SQLRow] = []
                for slice in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                    found += try await query().where("id", .in, slice).orderBy("id", .descending).limit(limit + 1 - found.count).all()
                    if found.count > limit { break }
                }
                return found
            }
            // Only common words: the newest orders soon include enough of them.
            var search = query()
            for alternatives in words { search = search.where(Self.matching(alternatives, storeID: filter.storeID)) }
            return try await search.orderBy("id", .descending).limit(limit + 1).all()
        }
        let orders = try rows.prefix(limit).map { row in
            OrderSummary(
                id: try row.decode(column: "id", as: Int.self),
                status: OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
                total: Money(minorUnits: try row.decode(column: "total", as: Int.self), currency: try row.decode(column: "currency", as: String.self)),
                window: WindowSnapshot(
                    id: try row.decode(column: "window_id", as: Int.self), date: try row.decode(column: "window_date", as: String.self),
                    from: try row.decode(column: "window_from", as: String.self), to: try row.decode(column: "window_to", as: String.self)
                ),
                customerName: try row.decode(column: "customer_name", as: String.self),
                customerPhone: try row.decode(column: "customer_phone", as: String.self),
                recipientName: try row.decode(column: "recipient_name", as: String.self),
                recipientPhone: try row.decode(column: "recipient_phone", as: String.self),
                address: try row.decode(column: "recipient_address", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Int64.self)
            )
        }
        return OrderListing(orders: orders, next: rows.count > limit ? orders.last?.id : nil)
    }

    /// The order a number (`PE-1042`) names, when that is what was typed.
    static func orderID(in text: String, storeID: Int, on db: any SQLDatabase) async throws -> Int? {
        let prefix = try await db.select().column("order_prefix").from("stores").where("id", .equal, storeID).first()
            .map { try $0.decode(column: "order_prefix", as: String.self) } ?? ""
        return OrderNumber.id(in: text.uppercased().filter { !$0.isWhitespace }, prefix: prefix)
    }

    /// The ids (newest first, below `before`) of the orders matching every word, when every word is rare
    /// (``OrderSearch`` tokens in the `order_search` index); nil as soon as one is common. Measured with a
    /// million orders: checking a common word for a rare word's candidates cost PostgreSQL 0.5 s, while the
    /// newest orders, read in order, soon hold enough matches of a common word.
    static func candidates(
        _ words: [[(low: String, high: String)]], storeID: Int, before: Int?, rareWord: Int, on db: any SQLDatabase
    ) async throws -> [Int]? {
        var ids: Set<Int>?
        for alternatives in words {
            let rows = try await db.raw(
                "SELECT order_id FROM order_search WHERE store_id = \(bind: storeID) AND \(Self.ranges(alternatives)) LIMIT \(literal: rareWord + 1)"
            ).all()
            if rows.count > rareWord { return nil }
            let found = Set(try rows.map { try $0.decode(column: "order_id", as: Int.self) })
            ids = ids.map { $0.intersection(found) } ?? found
        }
        guard var ids else { return nil }
        if let before { ids = ids.filter { $0 < before } }
        return ids.sorted(by: >)
    }

    /// `id IN (the orders with a token in one of the ranges)`.
    static func matching(_ alternatives: [(low: String, high: String)], storeID: Int) -> SQLQueryString {
        "id IN (SELECT order_id FROM order_search WHERE store_id = \(bind: storeID) AND \(Self.ranges(alternatives)))"
    }

    static func ranges(_ alternatives: [(low: String, high: String)]) -> SQLQueryString {
        let each = alternatives.map { SQLQueryString("(token >= \(bind: $0.low) AND token < \(bind: $0.high))") }
        return "(\(SQLList(each, separator: SQLRaw(" OR "))))"
    }

    public func changeStatus(storeID: Int, orderID: Int, to target: OrderStatus, reason: String, by staff: Actor) async throws -> OrderStatus? {
        let reason = reason.trimmingSpaces
        if target == .cancelled, reason.isEmpty { throw StatusChangeError.reasonRequired }
        return try await self.database.transaction { db in
            guard
                let row = try await db.select().columns("status", "window_id").from("orders").where("id", .equal, orderID)
                    .where("store_id", .equal, storeID).first()
            else { return nil }
            let current = OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new
            guard current.allows(target) else { throw StatusChangeError.notAllowed(from: current, to: target) }
            let now = Clock.nowMillis
            // Conditional on the status just read: two people pressing at once make one change, the other is told.
            let changed = try await db.raw(
                """
                UPDATE orders SET status = \(bind: target.rawValue), status_changed_at = \(bind: now) \
                WHERE id = \(bind: orderID) AND status = \(bind: current.rawValue) RETURNING id
                """
            ).first()
            guard changed != nil else { throw StatusChangeError.notAllowed(from: current, to: target) }
            try await db.raw(
                """
                INSERT INTO order_events (order_id, from_status, to_status, reason, staff_id, staff_name, created_at) VALUES \
                (\(bind: orderID), \(bind: current.rawValue), \(bind: target.rawValue), \(bind: reason), \(bind: staff.staffID), \
                \(bind: staff.name), \(bind: now))
                """
            ).run()
            if target == .cancelled {
                try await WaitlistLine.releasePlace(windowID: try row.decode(column: "window_id", as: Int.self), hold: self.hold, on: db)
            }
            return target
        }
    }

    public func events(orderID: Int) async throws -> [OrderEvent] {
        try await self.database.read { db in
            try await db.select().column("*").from("order_events").where("order_id", .equal, orderID).orderBy("id").all().map { row in
                OrderEvent(
                    from: OrderStatus(rawValue: try row.decode(column: "from_status", as: String.self)) ?? .new,
                    to: OrderStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .new,
                    reason: try row.decode(column: "reason", as: String.self), staffName: try row.decode(column: "staff_name", as: String.self),
                    at: try row.decode(column: "created_at", as: Int64.self)
                )
            }
        }
    }

    public func orders(windowID: Int) async throws -> [Order] {
        try await self.database.read { db in
            let ids = try await db.select().column("id").from("orders").where("window_id", .equal, windowID)
                .where("status", .notEqual, OrderStatus.cancelled.rawValue).orderBy("recipient_address").orderBy("id").all()
                .map { try $0.decode(column: "id", as: Int.self) }
            return try await SQLOrderRepository.orders(ids: ids, on: db)
        }
    }

    public func orders(storeID: Int, date: String) async throws -> [Order] {
        try await self.database.read { db in
            let ids = try await db.select().column("id").from("orders").where("store_id", .equal, storeID).where("window_date", .equal, date)
                .where("status", .notEqual, OrderStatus.cancelled.rawValue).orderBy("window_from").orderBy("window_id").orderBy("id").all()
                .map { try $0.decode(column: "id", as: Int.self) }
            return try await SQLOrderRepository.orders(ids: ids, on: db)
        }
    }

    public func orders(storeID: Int, fromDate: String, toDate: String, afterID: Int, limit: Int) async throws -> [Order] {
        try await self.database.read { db in
            let ids = try await db.select().column("id").from("orders").where("store_id", .equal, storeID)
                .where("window_date", .greaterThanOrEqual, fromDate).where("window_date", .lessThanOrEqual, toDate)
                .where("id", .greaterThan, afterID).orderBy("id").limit(limit).all().map { try $0.decode(column: "id", as: Int.self) }
            return try await SQLOrderRepository.orders(ids: ids, on: db)
        }
    }
}
