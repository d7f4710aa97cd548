import FloodgateCore
import SQLKit

/// ``OrderAdminRepository`` on the shop's database.
public struct SQLOrderAdminRepository: OrderAdminRepository {
    let database: Database
    /// How long a waiting-list offer holds a place freed by a cancellation, in milliseconds.
    let hold: Int64

    /// How far a text search goes before it changes method or ends a page (``OrderListSearch``).
    let searchLimits: SearchLimits

    public init(database: Database, holdMinutes: Int = 30, searchLimits: SearchLimits = SearchLimits()) {
        self.database = database
        self.hold = Int64(holdMinutes) * 60_000
        self.searchLimits = searchLimits
    }

    public func list(_ filter: OrderFilter) async throws -> OrderListing {
        let limit = max(1, min(filter.limit, 200))
        let (rows, scannedTo) = try await self.database.read { db -> ([any SQLRow], Int?) in
            func query(before: Int? = filter.before) -> SQLSelectBuilder {
                var query = db.select()
                    .columns(
                        "id", "status", "total", "currency", "window_id", "window_date", "window_from", "window_to",
                        "customer_name"
                    )
                    .columns("customer_phone", "recipient_name", "recipient_phone", "recipient_address", "created_at")
                    .from("orders").where("store_id", .equal, filter.storeID)
                if let date = filter.date { query = query.where("window_date", .equal, date) }
                if let window = filter.windowID { query = query.where("window_id", .equal, window) }
                if let status = filter.status { query = query.where("status", .equal, status.rawValue) }
                if let before { query = query.where("id", .lessThan, before) }
                return query
            }
            guard let text = filter.text?.trimmingSpaces, !text.isEmpty else {
                return (try await query().orderBy("id", .descending).limit(limit + 1).all(), nil)
            }
            if let id = try await Self.orderID(in: text, storeID: filter.storeID, on: db) {
                return (try await query().where("id", .equal, id).all(), nil)
            }
            return try await self.search(text, filter: filter, limit: limit, query: query, on: db)
        }
        let orders = try rows.prefix(limit).map { row in
            OrderSummary(
                id: try row.decode(column: "id", as: Int.self),
                status: OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
                total: Money(
                    minorUnits: try row.decode(column: "total", as: Int.self),
                    currency: try row.decode(column: "currency", as: String.self)),
                window: WindowSnapshot(
                    id: try row.decode(column: "window_id", as: Int.self),
                    date: try row.decode(column: "window_date", as: String.self),
                    from: try row.decode(column: "window_from", as: String.self),
                    to: try row.decode(column: "window_to", as: String.self)
                ),
                customerName: try row.decode(column: "customer_name", as: String.self),
                customerPhone: try row.decode(column: "customer_phone", as: String.self),
                recipientName: try row.decode(column: "recipient_name", as: String.self),
                recipientPhone: try row.decode(column: "recipient_phone", as: String.self),
                address: try row.decode(column: "recipient_address", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Int64.self)
            )
        }
        return OrderListing(orders: orders, next: rows.count > limit ? orders.last?.id : scannedTo)
    }

    /// The order a number (`PE-1042`) names, when that is what was typed.
    static func orderID(in text: String, storeID: Int, on db: any SQLDatabase) async throws -> Int? {
        let prefix =
            try await db.select().column("order_prefix").from("stores").where("id", .equal, storeID).first()
            .map { try $0.decode(column: "order_prefix", as: String.self) } ?? ""
        return OrderNumber.id(in: text.uppercased().filter { !$0.isWhitespace }, prefix: prefix)
    }

    public func changeStatus(
        storeID: Int, orderID: Int, to target: OrderStatus, reason: String, by staff: Actor
    ) async throws -> OrderStatus? {
        let reason = try StatusChangeError.checked(reason: reason)
        if target == .cancelled, reason.isEmpty { throw StatusChangeError.reasonRequired }
        return try await self.database.transaction { db in
            guard
                let row = try await db.select().columns("status", "window_id").from("orders").where(
                    "id", .equal, orderID
                )
                .where("store_id", .equal, storeID).first()
            else { return nil }
            let current = OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new
            guard current.allows(target) else { throw StatusChangeError.notAllowed(from: current, to: target) }
            let now = WallClock.nowMillis
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
                try await WaitlistLine.releasePlace(
                    windowID: try row.decode(column: "window_id", as: Int.self), hold: self.hold, on: db)
            }
            // Last: the audit chain's head is the last lock a transaction takes (no two wait on each other).
            var details = ["status": AuditChange(before: current.rawValue, after: target.rawValue)]
            if !reason.isEmpty { details["reason"] = AuditChange(after: reason) }
            try await AuditChain.append(
                AuditEntry(
                    target == .cancelled ? "order.cancel" : "order.status", object: "order", id: String(orderID),
                    storeID: storeID, details: details),
                by: staff, on: db, at: now)
            return target
        }
    }

    public func events(orderID: Int) async throws -> [OrderEvent] {
        try await self.database.read { db in
            try await db.select().column("*").from("order_events").where("order_id", .equal, orderID).orderBy("id")
                .all().map { row in
                    OrderEvent(
                        from: OrderStatus(rawValue: try row.decode(column: "from_status", as: String.self)) ?? .new,
                        to: OrderStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .new,
                        reason: try row.decode(column: "reason", as: String.self),
                        staffName: try row.decode(column: "staff_name", as: String.self),
                        at: try row.decode(column: "created_at", as: Int64.self)
                    )
                }
        }
    }

    public func orders(windowID: Int) async throws -> [Order] {
        try await self.database.read { db in
            let ids = try await db.select().column("id").from("orders").where("window_id", .equal, windowID)
                .where("status", .notEqual, OrderStatus.cancelled.rawValue).orderBy("recipient_address").orderBy("id")
                .all()
                .map { try $0.decode(column: "id", as: Int.self) }
            return try await SQLOrderRepository.orders(ids: ids, on: db)
        }
    }

    public func orders(storeID: Int, date: String) async throws -> [Order] {
        try await self.database.read { db in
            let ids = try await db.select().column("id").from("orders").where("store_id", .equal, storeID).where(
                "window_date", .equal, date
            )
            .where("status", .notEqual, OrderStatus.cancelled.rawValue).orderBy("window_from").orderBy("window_id")
            .orderBy("id").all()
            .map { try $0.decode(column: "id", as: Int.self) }
            return try await SQLOrderRepository.orders(ids: ids, on: db)
        }
    }

    public func orders(storeID: Int, fromDate: String, toDate: String, afterID: Int, limit: Int) async throws -> [Order]
    {
        try await self.database.read { db in
            let ids = try await db.select().column("id").from("orders").where("store_id", .equal, storeID)
                .where("window_date", .greaterThanOrEqual, fromDate).where("window_date", .lessThanOrEqual, toDate)
                .where("id", .greaterThan, afterID).orderBy("id").limit(limit).all().map {
                    try $0.decode(column: "id", as: Int.self)
                }
            return try await SQLOrderRepository.orders(ids: ids, on: db)
        }
    }
}
