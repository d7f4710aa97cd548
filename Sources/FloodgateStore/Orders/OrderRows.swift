import FloodgateCore
import PostgresKit
import SQLKit

/// The rows a checkout writes, each column described once: its name and how an order gives its value.
///
/// Both ways of writing an order take their column lists and values from here — SQLKit's statements on either
/// engine (``sqlValues(of:)``, ``sqlLines(of:orderID:)``) and PostgreSQL's prepared statement
/// (``PlaceOrderStatement``) — so the two cannot drift apart. A column added here is written by both.
enum OrderRows {
    /// A value as a write binds it.
    enum Value: Sendable {
        case int(Int)
        case text(String)
        case optionalInt(Int?)
        case optionalText(String?)

        /// Whether this is an absent optional value (NULL).
        var isNull: Bool {
            switch self {
            case .optionalInt(let int): int == nil
            case .optionalText(let text): text == nil
            case .int, .text: false
            }
        }

        /// The whole number, if this is one.
        var int: Int? {
            switch self {
            case .int(let int): int
            case .optionalInt(let int): int
            case .text, .optionalText: nil
            }
        }

        /// The text, if this is some.
        var text: String? {
            switch self {
            case .text(let text): text
            case .optionalText(let text): text
            case .int, .optionalInt: nil
            }
        }

        var bind: SQLBind {
            switch self {
            case .int(let int): SQLBind(int)
            case .text(let text): SQLBind(text)
            case .optionalInt(let int): SQLBind(int)
            case .optionalText(let text): SQLBind(text)
            }
        }
    }

    /// What kind of value a column holds; PostgreSQL's statement binds a column of lines as one typed array.
    enum Kind: Sendable {
        case int, text, optionalInt, optionalText
    }

    /// A column of a row written for a `Source`.
    struct Column<Source>: Sendable {
        let name: String
        let kind: Kind
        let value: @Sendable (Source) throws -> Value

        init(_ name: String, _ kind: Kind, _ value: @escaping @Sendable (Source) throws -> Value) {
            self.name = name
            self.kind = kind
            self.value = value
        }
    }

    /// An order's row, all but its id.
    static let order: [Column<Order>] = [
        Column("store_id", .int) { .int($0.storeID) },
        Column("token", .text) { .text($0.token) },
        Column("status", .text) { .text($0.status.rawValue) },
        Column("total", .int) { .int($0.total.minorUnits) },
        Column("currency", .text) { .text($0.total.currency) },
        Column("window_id", .int) { .int($0.deliveryWindow.id) },
        Column("window_date", .text) { .text($0.deliveryWindow.date) },
        Column("window_from", .text) { .text($0.deliveryWindow.from) },
        Column("window_to", .text) { .text($0.deliveryWindow.to) },
        Column("customer_name", .text) { .text($0.customer.name) },
        Column("customer_phone", .text) { .text($0.customer.phone) },
        Column("customer_email", .text) { .text($0.customer.email) },
        Column("recipient_name", .text) { .text($0.recipient.name) },
        Column("recipient_phone", .text) { .text($0.recipient.phone) },
        Column("recipient_address", .text) { .text($0.recipient.address) },
        Column("card_message", .text) { .text($0.cardMessage) },
        Column("created_at", .int) { .int(Int($0.createdAt)) },
        Column("postcode", .text) { .text($0.recipient.postcode) },
        Column("zone_id", .optionalInt) { .optionalInt($0.zoneID) },
        Column("delivery_fee", .int) { .int($0.deliveryFee) },
    ]

    /// An order line's row, but for its order's id and its position, which the statement gives (`order_id`,
    /// `position` come first).
    static let line: [Column<OrderLine>] = [
        Column("product_id", .int) { .int($0.product) },
        Column("name", .text) { .text($0.name) },
        Column("unit_price", .int) { .int($0.unitPrice) },
        Column("quantity", .int) { .int($0.quantity) },
        Column("composition", .text) { .text(try JSONColumn.encode($0.composition)) },
        Column("photo", .optionalText) { .optionalText($0.photo) },
    ]

    /// The columns of an idempotency key's row: store, key, request hash, order, time.
    static let keyColumns = SQLRaw(#"store_id, "key", request_hash, order_id, created_at"#)

    /// `a, b, c` of these columns.
    static func names<Source>(_ columns: [Column<Source>]) -> String {
        columns.map(\.name).joined(separator: ", ")
    }

    /// The order's columns for an `INSERT`.
    static let orderColumns = SQLRaw(Self.names(Self.order))

    /// The line's columns for an `INSERT`, its order's id and position first.
    static let lineColumns = SQLRaw("order_id, position, " + Self.names(Self.line))

    /// The order's values, in the order of ``orderColumns``, as binds without parentheses.
    static func sqlValues(of order: Order) throws -> SQLList {
        SQLList(try Self.order.map { try $0.value(order).bind })
    }

    /// The order's lines as VALUES tuples, in the order of ``lineColumns``.
    static func sqlLines(of order: Order, orderID: Int) throws -> [SQLQueryString] {
        try order.lines.enumerated().map { position, line in
            "(\(literal: orderID), \(literal: position), \(SQLList(try Self.line.map { try $0.value(line).bind })))"
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
        Self.searchTokens(
            names: [order.customer.name, order.recipient.name], phones: [order.customer.phone, order.recipient.phone])
    }

    /// The ``OrderSearch`` tokens of these names and phones, sorted.
    static func searchTokens(names: [String], phones: [String]) -> [String] {
        OrderSearch.tokens(names: names, phones: phones).sorted()
    }
}

extension OrderRows.Value {
    /// Binds the value to a PostgreSQL statement.
    func append(to bindings: inout PostgresBindings) {
        switch self {
        case .int(let int): bindings.append(int)
        case .text(let text): bindings.append(text)
        case .optionalInt(let int): bindings.append(int)
        case .optionalText(let text): bindings.append(text)
        }
    }
}
