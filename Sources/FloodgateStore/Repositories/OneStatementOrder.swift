import FloodgateCore
import PostgresKit
import SQLKit

/// PostgreSQL's checkout write: all of an order's rows in one statement, which commits by itself.
///
/// On PostgreSQL every statement is a round trip to a backend process, and on a busy day those round trips
/// are most of a checkout's CPU, in the shop and in PostgreSQL (BENCHMARKS, issue 4). The shared path writes
/// an order with six statements between `BEGIN` and `COMMIT`; this writes the same rows with one statement of
/// data-modifying `WITH` parts, which SQLite does not have. The place is taken first and the order is
/// inserted only if it was; its lines, search tokens, jobs and idempotency key come from the order's new id.
/// So the statement writes all of it or nothing: a full window inserts nothing, and a key already taken
/// breaks the key's primary key, which undoes the whole statement.
enum OneStatementOrder {
    /// What the statement did.
    enum Outcome {
        case placed(orderID: Int)
        /// The window had no free place; nothing was written.
        case windowFull
        /// Another order holds the idempotency key (or a twin holding it committed meanwhile); nothing was written.
        case keyTaken
    }

    /// Writes `order` (its id not yet known) with its lines, search tokens, the store's order jobs and the key,
    /// taking a free place of the order's window.
    static func write(_ order: Order, idempotency: IdempotencyKey, jobKinds: [String], on db: any SQLDatabase) async throws -> Outcome {
        // The key and the jobs carry the order's own time, as in the shared path.
        let now = order.createdAt
        let id = SQLRaw("new_order.id")
        let jobs = jobKinds.map { kind in
            JobQueue.values(
                NewJob(kind: kind),
                payload: SQLQueryString("\(bind: JobKind.orderPayloadAround.before) || new_order.id || \(bind: JobKind.orderPayloadAround.after)"),
                dedupeKey: SQLQueryString("\(bind: JobKind.dedupeKeyPrefix(kind)) || new_order.id"),
                now: now
            )
        }
        var statement: SQLQueryString = """
            WITH place AS (\(SQLDeliveryWindowRepository.reservePlaceStatement(windowID: order.deliveryWindow.id))), \
            new_order AS (INSERT INTO orders (\(SQLOrderRepository.orderColumns)) \
            SELECT \(SQLOrderRepository.orderValues(order)) FROM place RETURNING id), \
            lines AS (INSERT INTO order_lines (\(SQLOrderRepository.lineColumns)) \
            SELECT v.* FROM new_order, LATERAL (VALUES \(SQLList(try SQLOrderRepository.lineRows(order, orderID: id)))) AS v), \
            search AS (INSERT INTO order_search (store_id, token, order_id) \
            SELECT v.* FROM new_order, LATERAL (VALUES \(SQLList(SQLOrderRepository.searchRows(order, orderID: id)))) AS v), \
            keys AS (INSERT INTO idempotency_keys (\(SQLOrderRepository.keyColumns)) \
            SELECT \(bind: order.storeID), \(bind: idempotency.key), \(bind: idempotency.requestHash), new_order.id, \(bind: now) FROM new_order)
            """
        if !jobs.isEmpty {
            statement += """
                , jobs AS (INSERT INTO jobs (\(JobQueue.columns)) \
                SELECT v.* FROM new_order, LATERAL (VALUES \(SQLList(jobs))) AS v ON CONFLICT (dedupe_key) DO NOTHING)
                """
        }
        statement += " SELECT id FROM new_order"
        do {
            guard let row = try await db.raw(statement).first() else { return .windowFull }
            return .placed(orderID: try row.decode(column: "id", as: Int.self))
        } catch let error as PSQLError
            where error.serverInfo?[.sqlState] == "23505" && error.serverInfo?[.tableName] == "idempotency_keys"
        {
            return .keyTaken
        }
    }
}
