import FloodgateCore
import SQLKit

extension SQLOrderRepository {
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
            for line in try await db.select().column("*").from("order_lines").where("order_id", .in, slice).orderBy("order_id").orderBy("position").all() {
                lines[try line.decode(column: "order_id", as: Int.self), default: []].append(
                    OrderLine(
                        product: try line.decode(column: "product_id", as: Int.self),
                        name: try line.decode(column: "name", as: String.self),
                        unitPrice: try line.decode(column: "unit_price", as: Int.self),
                        quantity: try line.decode(column: "quantity", as: Int.self),
                        composition: try JSONColumn.decode([CompositionLine].self, try line.decode(column: "composition", as: String.self)),
                        photo: try line.decode(column: "photo", as: String?.self)
                    )
                )
            }
            for row in try await db.select().column(SQLColumn("*", table: "orders")).column(SQLColumn("order_prefix", table: "stores"))
                .from("orders").join("stores", on: SQLColumn("store_id", table: "orders"), .equal, SQLColumn("id", table: "stores"))
                .where(SQLColumn("id", table: "orders"), .in, SQLBind.group(slice)).all()
            {
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
            total: Money(minorUnits: try row.decode(column: "total", as: Int.self), currency: try row.decode(column: "currency", as: String.self)),
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

    /// Inserts the order row, its lines and its search tokens; returns the row id.
    ///
    /// Hand-written rather than built, like the jobs insert: this runs inside every checkout, and SQLKit's
    /// statement building (quoting 25 identifiers) cost more CPU than SQLite executing the statements.
    static func insert(_ order: Order, on db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw("INSERT INTO orders (\(Self.orderColumns)) VALUES (\(Self.orderValues(order))) RETURNING id").first()
        guard let orderID = try row?.decode(column: "id", as: Int.self) else { throw OrderInsertFailed() }
        try await db.raw("INSERT INTO order_lines (\(Self.lineColumns)) VALUES \(SQLList(try Self.lineRows(order, orderID: orderID)))").run()
        try await db.raw("INSERT INTO order_search (store_id, token, order_id) VALUES \(SQLList(Self.searchRows(order, orderID: orderID)))").run()
        return orderID
    }

    /// The columns an order's row fills (all but its id), in the order of ``orderValues(_:)``.
    static let orderColumns = SQLRaw(
        """
        store_id, token, status, total, currency, window_id, window_date, window_from, window_to, customer_name, customer_phone, \
        customer_email, recipient_name, recipient_phone, recipient_address, card_message, created_at, postcode, zone_id, delivery_fee
        """
    )

    /// How many columns ``orderColumns`` names.
    static let orderRowCount = Self.orderColumns.sql.split(separator: ",").count

    /// An order's values for ``orderColumns``, as binds without parentheses.
    static func orderValues(_ order: Order) -> SQLList {
        SQLList(Self.orderRow(order).map { value in
            switch value {
            case .int(let int): SQLBind(int)
            case .text(let text): SQLBind(text)
            case .optionalInt(let int): SQLBind(int)
            }
        })
    }

    /// One value of an order's row; both ways of writing an order (SQLKit's binds, PostgreSQL's prepared
    /// checkout) take them from ``orderRow(_:)``, so the columns' order is kept in one place.
    enum RowValue {
        case int(Int)
        case text(String)
        case optionalInt(Int?)
    }

    /// An order's values, in the order of ``orderColumns``.
    static func orderRow(_ order: Order) -> [RowValue] {
        let (window, customer, recipient) = (order.deliveryWindow, order.customer, order.recipient)
        return [
            .int(order.storeID), .text(order.token), .text(order.status.rawValue), .int(order.total.minorUnits),
            .text(order.total.currency), .int(window.id), .text(window.date), .text(window.from), .text(window.to),
            .text(customer.name), .text(customer.phone), .text(customer.email), .text(recipient.name), .text(recipient.phone),
            .text(recipient.address), .text(order.cardMessage), .int(Int(order.createdAt)), .text(recipient.postcode),
            .optionalInt(order.zoneID), .int(order.deliveryFee),
        ]
    }

    /// The columns of an idempotency key's row: store, key, request hash, order, time.
    static let keyColumns = SQLRaw(#"store_id, "key", request_hash, order_id, created_at"#)

    /// The columns of an order line's row, in the order of ``lineRows(_:orderID:)``.
    static let lineColumns = SQLRaw("order_id, position, product_id, name, unit_price, quantity, composition, photo")

    /// An order's lines as VALUES tuples.
    static func lineRows(_ order: Order, orderID: Int) throws -> [SQLQueryString] {
        try order.lines.enumerated().map { position, line in
            """
            (\(literal: orderID), \(literal: position), \(bind: line.product), \(bind: line.name), \(bind: line.unitPrice), \
            \(bind: line.quantity), \(bind: try JSONColumn.encode(line.composition)), \(bind: line.photo))
            """
        }
    }

    /// The `order_search` rows of an order (``OrderSearch`` tokens of its names and phones), as VALUES tuples.
    static func searchRows(_ order: Order, orderID: Int) -> [SQLQueryString] {
        Self.searchRows(storeID: order.storeID, orderID: orderID, tokens: Self.searchTokens(order))
    }

    /// `order_search` rows as VALUES tuples.
    static func searchRows(storeID: Int, orderID: Int, tokens: [String]) -> [SQLQueryString] {
        tokens.map { "(\(literal: storeID), \(bind: $0), \(literal: orderID))" }
    }

    /// The ``OrderSearch`` tokens of an order's names and phones.
    static func searchTokens(_ order: Order) -> [String] {
        Self.searchTokens(names: [order.customer.name, order.recipient.name], phones: [order.customer.phone, order.recipient.phone])
    }

    /// The ``OrderSearch`` tokens of these names and phones, sorted.
    static func searchTokens(names: [String], phones: [String]) -> [String] {
        OrderSearch.tokens(names: names, phones: phones).sorted()
    }

    private struct OrderInsertFailed: Error {}
}
