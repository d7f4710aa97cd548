import FloodgateCore
import SQLKit

/// An order written in one transaction of several statements, its checks read inside it: SQLite's every checkout,
/// and PostgreSQL's when it takes a place held for the customer on a waiting list.
enum OrderTransaction {
    /// Marks a transaction that found its key taken; it has been rolled back and the first answer is read instead.
    struct KeyAlreadyUsed: Error {}

    /// Places `request` in a transaction on `database`, or replays the order its key placed before.
    static func place(
        _ request: OrderRequest, in store: Store, idempotency: IdempotencyKey, on database: Database
    ) async throws -> PlacedOrder {
        try await Self.placeOrReplay(store: store, idempotency: idempotency, on: database) {
            // The checks read inside the order's transaction, so what they saw is what is written. On SQLite the
            // writer steps them itself (a few µs each, no thread hop): reading on a reader first would add two
            // hops, each waiting for a core under load.
            let order = try await database.transaction { db in
                let checkout = try await SQLCheckoutReads(db: db).checkout(
                    for: request, in: store, at: LocalTime.now(in: store.timeZone))
                return try await Self.write(checkout, request: request, in: store, idempotency: idempotency, on: db)
            }
            return PlacedOrder(order: order, replayed: false)
        }
    }

    /// Runs `attempt`; when it finds the key taken (``KeyAlreadyUsed``), answers with the order the key placed. A key
    /// can only vanish between the conflict and the read if it is pruned meanwhile; then it tries once more.
    static func placeOrReplay(
        store: Store, idempotency: IdempotencyKey, on database: Database, _ attempt: () async throws -> PlacedOrder
    ) async throws -> PlacedOrder {
        for _ in 0..<2 {
            do {
                return try await attempt()
            } catch is KeyAlreadyUsed {
                if let replayed = try await database.read({ db in
                    try await Self.replay(storeID: store.id, idempotency: idempotency, on: db)
                }) {
                    return replayed
                }
            }
        }
        throw CheckoutError.idempotencyKeyReused
    }

    /// The order the key placed before, if the request is the same; nil if the key is unknown (or gone).
    static func replay(storeID: Int, idempotency: IdempotencyKey, on db: any SQLDatabase) async throws -> PlacedOrder? {
        guard
            let row = try await db.select().columns("request_hash", "order_id").from("idempotency_keys")
                .where("store_id", .equal, storeID).where("key", .equal, idempotency.key).first()
        else { return nil }
        guard try row.decode(column: "request_hash", as: String.self) == idempotency.requestHash else {
            throw CheckoutError.idempotencyKeyReused
        }
        guard
            let order = try await SQLOrderRepository.order(id: try row.decode(column: "order_id", as: Int.self), on: db)
        else { return nil }
        return PlacedOrder(order: order, replayed: true)
    }

    /// The transaction's writes. The key and the place come last, so the rows other checkouts wait on are locked
    /// only until the commit.
    static func write(
        _ checkout: Checkout, request: OrderRequest, in store: Store, idempotency: IdempotencyKey,
        on db: any SQLDatabase
    ) async throws -> Order {
        // The order with a full snapshot; its number comes from its row id.
        var order = checkout.newOrder(for: request, in: store)
        let (now, window) = (order.createdAt, checkout.window)
        let orderID = try await Self.insert(order, on: db)
        order.number = OrderNumber.make(prefix: store.orderPrefix, id: orderID)

        // The order's deferred work, in the same commit: it exists if and only if the order does.
        try await SQLJobQueue.enqueue(
            JobKind.forOrder(in: store).map { kind in
                NewJob(
                    kind: kind, payload: JobKind.orderPayload(orderID: orderID),
                    dedupeKey: JobKind.dedupeKey(kind, orderID: orderID))
            },
            on: db
        )

        // The key with its order. A twin racing us on PostgreSQL waits here on the unique key until we commit,
        // then finds it taken and replays our answer; a retry after our commit does the same.
        let recorded = try await db.raw(
            """
            INSERT INTO idempotency_keys (\(OrderRows.keyColumns)) \
            VALUES (\(bind: store.id), \(bind: idempotency.key), \(bind: idempotency.requestHash), \(bind: orderID), \(bind: now)) \
            ON CONFLICT (store_id, "key") DO NOTHING RETURNING "key"
            """
        ).first()
        guard recorded != nil else { throw KeyAlreadyUsed() }

        // The place: the one held for this customer's waiting-list offer, or a free one (zero rows updated means full).
        if let hold = request.hold {
            try await WaitlistLine.useHold(
                token: hold, storeID: store.id, windowID: window.id, orderID: orderID, now: now, on: db)
        } else if try await !SQLDeliveryWindowRepository.reservePlace(windowID: window.id, on: db) {
            throw CheckoutError.windowFull(windowID: window.id)
        }
        return order
    }

    /// Inserts the order row, its lines and its search tokens (``OrderRows``); returns the row id.
    ///
    /// Hand-written rather than built, like the jobs insert: this runs inside every checkout, and SQLKit's statement
    /// building (quoting 25 identifiers) costs more CPU than SQLite executing the statements.
    static func insert(_ order: Order, on db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw(
            "INSERT INTO orders (\(OrderRows.orderColumns)) VALUES (\(try OrderRows.sqlValues(of: order))) RETURNING id"
        ).first()
        guard let orderID = try row?.decode(column: "id", as: Int.self) else { throw OrderInsertFailed() }
        try await db.raw(
            "INSERT INTO order_lines (\(OrderRows.lineColumns)) VALUES \(SQLList(try OrderRows.sqlLines(of: order, orderID: orderID)))"
        ).run()
        try await db.raw(
            "INSERT INTO order_search (store_id, token, order_id) VALUES \(SQLList(OrderRows.searchRows(order, orderID: orderID)))"
        ).run()
        return orderID
    }

    private struct OrderInsertFailed: Error {}
}
