import FloodgateCore
import SQLKit

/// Orders as they were placed: read back by number (the customer's confirmation, the API) or by row id (jobs).
public protocol OrderRepository: Sendable {
    /// The store's order with this number (`PE-1042`), or nil.
    func find(store: Store, number: String) async throws -> Order?
    /// The order with this row id (as outbox jobs name it), or nil.
    func order(id: Int) async throws -> Order?
}

/// ``OrderRepository`` on the shop's database.
public struct SQLOrderRepository: OrderRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func find(store: Store, number: String) async throws -> Order? {
        guard let id = OrderNumber.id(in: number, prefix: store.orderPrefix) else { return nil }
        return try await self.database.read { db in
            guard let order = try await Self.order(id: id, on: db), order.storeID == store.id else { return nil }
            return order
        }
    }

    public func order(id: Int) async throws -> Order? {
        try await self.database.read { db in try await Self.order(id: id, on: db) }
    }

    static func order(id: Int, on db: any SQLDatabase) async throws -> Order? {
        try await Self.orders(ids: [id], on: db).first
    }

    /// Orders by row id, in the order of `ids` (missing ones left out): two queries however many there are.
    static func orders(ids: [Int], on db: any SQLDatabase) async throws -> [Order] {
        guard !ids.isEmpty else { return [] }
        var byID: [Int: Order] = [:]
        var lines: [Int: [OrderLine]] = [:]
        // In slices: a statement has a limit on its binds (SQLite 32,766), and a day can have thousands of orders.
        for slice in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for line in try await db.select().column("*").from("order_lines").where("order_id", .in, slice).orderBy(
                "order_id"
            ).orderBy("position").all() {
                lines[try line.decode(column: "order_id", as: Int.self), default: []].append(
                    OrderLine(
                        product: try line.decode(column: "product_id", as: Int.self),
                        name: try line.decode(column: "name", as: String.self),
                        unitPrice: try line.decode(column: "unit_price", as: Int.self),
                        quantity: try line.decode(column: "quantity", as: Int.self),
                        composition: try JSONColumn.decode(
                            [CompositionLine].self, try line.decode(column: "composition", as: String.self)),
                        photo: try line.decode(column: "photo", as: String?.self)
                    )
                )
            }
            for row in try await db.select().column(SQLColumn("*", table: "orders")).column(
                SQLColumn("order_prefix", table: "stores")
            )
            .from("orders").join(
                "stores", on: SQLColumn("store_id", table: "orders"), .equal, SQLColumn("id", table: "stores")
            )
            .where(SQLColumn("id", table: "orders"), .in, SQLBind.group(slice)).all() {
                let id = try row.decode(column: "id", as: Int.self)
                byID[id] = try Self.order(row: row, id: id, lines: lines[id] ?? [])
            }
        }
        return ids.compactMap { byID[$0] }
    }

    private static func order(row: any SQLRow, id: Int, lines: [OrderLine]) throws -> Order {
        Order(
            number: OrderNumber.make(prefix: try row.decode(column: "order_prefix", as: String.self), id: id),
            token: try row.decode(column: "token", as: String.self),
            storeID: try row.decode(column: "store_id", as: Int.self),
            status: OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
            total: Money(
                minorUnits: try row.decode(column: "total", as: Int.self),
                currency: try row.decode(column: "currency", as: String.self)),
            lines: lines,
            deliveryWindow: WindowSnapshot(
                id: try row.decode(column: "window_id", as: Int.self),
                date: try row.decode(column: "window_date", as: String.self),
                from: try row.decode(column: "window_from", as: String.self),
                to: try row.decode(column: "window_to", as: String.self)
            ),
            customer: OrderRequest.Customer(
                name: try row.decode(column: "customer_name", as: String.self),
                phone: try row.decode(column: "customer_phone", as: String.self),
                email: try row.decode(column: "customer_email", as: String.self)
            ),
            recipient: OrderRequest.Recipient(
                name: try row.decode(column: "recipient_name", as: String.self),
                phone: try row.decode(column: "recipient_phone", as: String.self),
                address: try row.decode(column: "recipient_address", as: String.self),
                postcode: try row.decode(column: "postcode", as: String.self)
            ),
            cardMessage: try row.decode(column: "card_message", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            deliveryFee: try row.decode(column: "delivery_fee", as: Int.self),
            zoneID: try row.decode(column: "zone_id", as: Int?.self)
        )
    }
}
