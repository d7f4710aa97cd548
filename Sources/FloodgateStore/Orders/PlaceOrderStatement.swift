import FloodgateCore
import PostgresKit

/// PostgreSQL's checkout write: all of an order's rows in one prepared statement, which commits by itself.
///
/// On PostgreSQL every statement is a round trip to a backend process, and on a busy day those round trips are most
/// of a checkout's CPU, in the shop and in PostgreSQL. A transaction writes an order with six statements between
/// `BEGIN` and `COMMIT`; this writes the same rows (``OrderRows``) with one statement of data-modifying `WITH`
/// parts, which SQLite does not have. The place is taken first and the order is inserted only if it was; its
/// lines, search tokens, jobs and idempotency key come from the order's new row. So the statement writes all of it
/// or nothing: a full tour inserts nothing, and a key already taken breaks the key's primary key, which undoes the
/// whole statement.
///
/// Its text is the same for every order (lines, tokens and jobs come as arrays), so each connection prepares it
/// once; sent as text, PostgreSQL would parse, analyse and plan it on every checkout.
struct PlaceOrderStatement: PostgresPreparedStatement {
    typealias Row = Int

    /// What one execution writes.
    struct Input: Sendable {
        /// The order to write; its id is not yet known.
        let order: Order
        let idempotency: IdempotencyKey
        /// The store's order jobs, payload and dedupe key left to the statement.
        let jobs: [NewJob]
        /// The tour as the pages showed it, when the order was priced from a ``ShownCatalog``
        /// (``PlaceShownOrderStatement``).
        let shownWindow: DeliveryWindow?

        func shown() throws -> DeliveryWindow {
            guard let window = self.shownWindow else { throw PlaceOrderSQL.NoShownWindow() }
            return window
        }
    }

    static let name = "floodgate_checkout_order"
    static let sql = Self.composed.sql
    private static let composed = PlaceOrderSQL.compose(confirmingShown: false)

    let input: Input

    func makeBindings() throws -> PostgresBindings {
        try Self.composed.parameters.bindings(for: self.input)
    }

    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode(Int.self)
    }
}

/// ``PlaceOrderStatement`` for an order priced from what the pages show (``ShownCatalog``): the place is taken only
/// if every line's product is still available with the shown name, price, composition and photo, and the tour is
/// still the store's, on the shown date, times and cut-off, with no zones. Otherwise it writes nothing, and the
/// checkout goes the careful way, reading the database: an order is never written from a stale page.
struct PlaceShownOrderStatement: PostgresPreparedStatement {
    typealias Row = Int

    static let name = "floodgate_checkout_confirming"
    static let sql = Self.composed.sql
    private static let composed = PlaceOrderSQL.compose(confirmingShown: true)

    let input: PlaceOrderStatement.Input

    func makeBindings() throws -> PostgresBindings {
        try Self.composed.parameters.bindings(for: self.input)
    }

    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode(Int.self)
    }
}

/// The text of ``PlaceOrderStatement`` and ``PlaceShownOrderStatement``, with their parameters.
enum PlaceOrderSQL {
    typealias Input = PlaceOrderStatement.Input

    struct NoShownWindow: Error {}

    /// The statement; `confirmingShown` adds the checks of ``PlaceShownOrderStatement`` to the place it takes.
    static func compose(confirmingShown: Bool) -> (sql: String, parameters: PreparedParameters<Input>) {
        var p = PreparedParameters<Input>()
        let order = OrderRows.order.map { column in
            p.add(binding: { input, bindings in try column.value(input.order).append(to: &bindings) })
        }
        let window = p.add { $0.order.deliveryWindow.id }
        let lines = Self.lineArrays(&p)
        let takePlace =
            confirmingShown
            ? Self.takeShownPlace(window: window, lines: lines, &p)
            : SQLDeliveryWindowRepository.reservePlaceStatement.text(placeholders: [window])
        let tokens = p.add { OrderRows.searchTokens($0.order) }
        let (key, hash) = (p.add { $0.idempotency.key }, p.add { $0.idempotency.requestHash })
        let jobs = [
            p.add { $0.jobs.map(\.kind) }, p.add { $0.jobs.map { JobKind.dedupeKeyPrefix($0.kind) } },
            p.add { $0.jobs.map(\.priority) },
            p.add { input in input.jobs.map { Int($0.runAt ?? input.order.createdAt) } },
            p.add { $0.jobs.map(\.maxAttempts) },
        ]
        let (payloadBefore, payloadAfter) = (
            p.add { _ in JobKind.orderPayloadAround.before }, p.add { _ in JobKind.orderPayloadAround.after }
        )
        let queued = p.add { _ in JobState.queued.rawValue }
        // The key and the jobs carry the order's own time, as in a transaction.
        let sql = """
            WITH place AS (\(takePlace)), \
            new_order AS (INSERT INTO orders (\(OrderRows.orderColumns.sql)) SELECT \(order.joined(separator: ", ")) FROM place \
            RETURNING id, store_id, created_at), \
            lines AS (INSERT INTO order_lines (\(OrderRows.lineColumns.sql)) \
            SELECT new_order.id, l.position - 1, \(lines.values) FROM new_order, unnest(\(lines.arrays)) WITH ORDINALITY \
            AS l(\(lines.names), position)), \
            search AS (INSERT INTO order_search (store_id, token, order_id) \
            SELECT new_order.store_id, t.token, new_order.id FROM new_order, unnest(\(tokens)) AS t(token)), \
            keys AS (INSERT INTO idempotency_keys (\(OrderRows.keyColumns.sql)) \
            SELECT new_order.store_id, \(key), \(hash), new_order.id, new_order.created_at FROM new_order), \
            jobs AS (INSERT INTO jobs (\(SQLJobQueue.columns.sql)) \
            SELECT j.kind, \(payloadBefore) || new_order.id || \(payloadAfter), j.dedupe_before || new_order.id, j.priority, \
            j.run_at, 0, j.max_attempts, \(queued), new_order.created_at, new_order.created_at \
            FROM new_order, unnest(\(jobs.joined(separator: ", "))) AS j(kind, dedupe_before, priority, run_at, max_attempts) \
            ON CONFLICT (dedupe_key) DO NOTHING) \
            SELECT id FROM new_order
            """
        return (sql, p)
    }

    /// The order's lines as one array per column of ``OrderRows/line``, which `unnest` turns back into rows.
    struct LineArrays {
        /// The arrays' placeholders, for `unnest(…)`.
        let arrays: String
        /// The columns' names in the rows `unnest` gives, for `AS l(…)`.
        let names: String
        /// The expressions of the columns' values in those rows, in the order of ``OrderRows/line``.
        let values: String
    }

    private static func lineArrays(_ p: inout PreparedParameters<Input>) -> LineArrays {
        var (arrays, names, values): ([String], [String], [String]) = ([], [], [])
        for column in OrderRows.line {
            let name = column.name
            switch column.kind {
            case .int, .optionalInt:
                arrays.append(p.add { input in try input.order.lines.map { try column.value($0).int ?? 0 } })
            case .text, .optionalText:
                arrays.append(p.add { input in try input.order.lines.map { try column.value($0).text ?? "" } })
            }
            names.append(name)
            if column.kind == .optionalInt || column.kind == .optionalText {
                // An array with NULLs in it cannot be bound: the values (0 or "" for none) and whether each is there.
                arrays.append(p.add { input in try input.order.lines.map { try !column.value($0).isNull } })
                names.append("\(name)_present")
                values.append("CASE WHEN l.\(name)_present THEN l.\(name) END")
            } else {
                values.append("l.\(name)")
            }
        }
        return LineArrays(
            arrays: arrays.joined(separator: ", "), names: names.joined(separator: ", "),
            values: values.joined(separator: ", "))
    }

    /// Takes a place of `window` as ``SQLDeliveryWindowRepository/reservePlaceStatement`` does, and only if the
    /// catalog and the tour are still as shown.
    private static func takeShownPlace(
        window: String, lines: LineArrays, _ p: inout PreparedParameters<Input>
    ) -> String {
        let store = p.add { try $0.shown().storeID }
        let (date, from, to) = (
            p.add { try $0.shown().date }, p.add { try $0.shown().from }, p.add { try $0.shown().to }
        )
        let cutoff = p.addOptional { try $0.shown().cutoff }
        return """
            UPDATE delivery_windows SET reserved = reserved + 1 WHERE id = \(window) AND reserved + held < capacity \
            AND store_id = \(store) AND date = \(date) AND time_from = \(from) AND time_to = \(to) \
            AND cutoff IS NOT DISTINCT FROM \(cutoff) \
            AND NOT EXISTS (SELECT 1 FROM tour_zones WHERE tour_zones.window_id = \(window)) \
            AND NOT EXISTS (SELECT 1 FROM unnest(\(lines.arrays)) AS l(\(lines.names)) \
            WHERE NOT EXISTS (SELECT 1 FROM products WHERE products.id = l.product_id AND products.store_id = \(store) \
            AND products.available = 1 AND products.name = l.name AND products.price = l.unit_price \
            AND products.composition = l.composition \
            AND (products.photos::json ->> 0) IS NOT DISTINCT FROM CASE WHEN l.photo_present THEN l.photo END)) \
            RETURNING id
            """
    }
}
