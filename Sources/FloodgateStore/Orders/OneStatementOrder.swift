import FloodgateCore
import PostgresKit

/// PostgreSQL's checkout write: all of an order's rows in one prepared statement, which commits by itself.
///
/// On PostgreSQL every statement is a round trip to a backend process, and on a busy day those round trips
/// are most of a checkout's CPU, in the shop and in PostgreSQL (BENCHMARKS, issue 4). The shared path writes
/// an order with six statements between `BEGIN` and `COMMIT`; this writes the same rows with one statement of
/// data-modifying `WITH` parts, which SQLite does not have. The place is taken first and the order is
/// inserted only if it was; its lines, search tokens, jobs and idempotency key come from the order's new row.
/// So the statement writes all of it or nothing: a full window inserts nothing, and a key already taken
/// breaks the key's primary key, which undoes the whole statement.
///
/// Its text is the same for every order (lines, tokens and jobs come as arrays), so each connection
/// prepares it once: PostgreSQL parsed, analysed and planned the statement sent as text on every checkout.
struct OneStatementOrder: PostgresPreparedStatement {
    typealias Row = Int

    static let name = "floodgate_checkout_order"

    /// What the statement did.
    enum Outcome {
        case placed(orderID: Int)
        /// The window had no free place; nothing was written.
        case windowFull
        /// Priced from memory (``ConfirmingOrder``): the window was full, or the catalog or the tour was no longer
        /// as remembered; nothing was written.
        case notConfirmed
        /// Another order holds the idempotency key (or a twin holding it committed meanwhile); nothing was written.
        case keyTaken
    }

    /// The order to write; its id is not yet known.
    let order: Order
    let idempotency: IdempotencyKey
    /// The store's order jobs, payload and dedupe key left to the statement.
    let jobs: [NewJob]

    /// Writes `order` with its lines, search tokens, the store's order jobs and the key, taking a free place
    /// of the order's window. With `confirming`, the order was priced from a remembered catalog and this
    /// remembered `window`: it is written only if both are still so (``ConfirmingOrder``).
    static func write(
        _ order: Order, idempotency: IdempotencyKey, jobKinds: [String], confirming window: DeliveryWindow? = nil, on session: PostgresSession
    ) async throws -> Outcome {
        let statement = OneStatementOrder(order: order, idempotency: idempotency, jobs: jobKinds.map { NewJob(kind: $0) })
        do {
            if let window {
                guard let id = try await session.run(ConfirmingOrder(base: statement, window: window)).first else { return .notConfirmed }
                return .placed(orderID: id)
            }
            guard let id = try await session.run(statement).first else { return .windowFull }
            return .placed(orderID: id)
        } catch let error as PSQLError
            where error.serverInfo?[.sqlState] == "23505" && error.serverInfo?[.tableName] == "idempotency_keys"
        {
            return .keyTaken
        }
    }

    static let sql = Self.statement(confirming: false)

    /// The statement's text; `confirming` adds the checks of ``ConfirmingOrder`` to the place it takes.
    static func statement(confirming: Bool) -> String {
        // Placeholders are handed out in the order ``bindings(confirming:)`` appends their values.
        var count = 0
        func placeholders(_ n: Int) -> String {
            defer { count += n }
            return (count + 1...count + n).map { "$\($0)" }.joined(separator: ", ")
        }
        let order = placeholders(SQLOrderRepository.orderRowCount)
        let takePlace =
            confirming
            ? ConfirmingOrder.takeConfirmedPlace.text(firstPlaceholder: count + 1)
            : SQLDeliveryWindowRepository.reservePlaceStatement.text(firstPlaceholder: count + 1)
        _ = placeholders(1)  // the window
        let lines = placeholders(7)  // product, name, unit price, quantity, composition, photo, has a photo
        if confirming { _ = placeholders(ConfirmingOrder.rememberedCount) }
        let tokens = placeholders(1)
        let key = placeholders(2)  // key, request hash
        let jobs = placeholders(5)  // kind, dedupe key before the id, priority, run at, attempts allowed
        let (payloadBefore, payloadAfter, queued) = (placeholders(1), placeholders(1), placeholders(1))
        // The key and the jobs carry the order's own time, as in the shared path.
        return """
            WITH place AS (\(takePlace)), \
            new_order AS (INSERT INTO orders (\(SQLOrderRepository.orderColumns.sql)) SELECT \(order) FROM place \
            RETURNING id, store_id, created_at), \
            lines AS (INSERT INTO order_lines (\(SQLOrderRepository.lineColumns.sql)) \
            SELECT new_order.id, l.position - 1, l.product_id, l.name, l.unit_price, l.quantity, l.composition, \
            CASE WHEN l.has_photo THEN l.photo END \
            FROM new_order, unnest(\(lines)) WITH ORDINALITY \
            AS l(product_id, name, unit_price, quantity, composition, photo, has_photo, position)), \
            search AS (INSERT INTO order_search (store_id, token, order_id) \
            SELECT new_order.store_id, t.token, new_order.id FROM new_order, unnest(\(tokens)) AS t(token)), \
            keys AS (INSERT INTO idempotency_keys (\(SQLOrderRepository.keyColumns.sql)) \
            SELECT new_order.store_id, \(key), new_order.id, new_order.created_at FROM new_order), \
            jobs AS (INSERT INTO jobs (\(SQLJobQueue.columns.sql)) \
            SELECT j.kind, \(payloadBefore) || new_order.id || \(payloadAfter), j.dedupe_before || new_order.id, j.priority, \
            j.run_at, 0, j.max_attempts, \(queued), new_order.created_at, new_order.created_at \
            FROM new_order, unnest(\(jobs)) AS j(kind, dedupe_before, priority, run_at, max_attempts) \
            ON CONFLICT (dedupe_key) DO NOTHING) \
            SELECT id FROM new_order
            """
    }

    func makeBindings() throws -> PostgresBindings {
        try self.bindings(confirming: nil)
    }

    /// The values of the statement's placeholders; with `confirming`, the remembered window's after the lines.
    func bindings(confirming window: DeliveryWindow?) throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 45)
        for value in SQLOrderRepository.orderRow(self.order) {
            switch value {
            case .int(let int): bindings.append(int)
            case .text(let text): bindings.append(text)
            case .optionalInt(let int): bindings.append(int)
            }
        }
        bindings.append(self.order.deliveryWindow.id)
        let lines = self.order.lines
        bindings.append(lines.map(\.product))
        bindings.append(lines.map(\.name))
        bindings.append(lines.map(\.unitPrice))
        bindings.append(lines.map(\.quantity))
        bindings.append(try lines.map { try JSONColumn.encode($0.composition) })
        bindings.append(lines.map { $0.photo ?? "" })
        bindings.append(lines.map { $0.photo != nil })
        if let window { ConfirmingOrder.appendRemembered(window, to: &bindings) }
        bindings.append(SQLOrderRepository.searchTokens(self.order))
        bindings.append(self.idempotency.key)
        bindings.append(self.idempotency.requestHash)
        bindings.append(self.jobs.map(\.kind))
        bindings.append(self.jobs.map { JobKind.dedupeKeyPrefix($0.kind) })
        bindings.append(self.jobs.map(\.priority))
        bindings.append(self.jobs.map { Int($0.runAt ?? self.order.createdAt) })
        bindings.append(self.jobs.map(\.maxAttempts))
        bindings.append(JobKind.orderPayloadAround.before)
        bindings.append(JobKind.orderPayloadAround.after)
        bindings.append(JobState.queued.rawValue)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode(Int.self)
    }
}
