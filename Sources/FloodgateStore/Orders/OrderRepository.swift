import FloodgateCore
import SQLKit

/// The outcome of placing an order: the order, and whether it was placed now or replayed from an earlier request.
public struct PlacedOrder: Sendable, Hashable {
    public var order: Order
    /// True when the idempotency key had already placed this order and the first answer is being replayed.
    public var replayed: Bool
}

/// An idempotency key and the fingerprint of the request it came with.
public struct IdempotencyKey: Sendable, Hashable {
    public var key: String
    /// SHA-256 of the canonical request; the same key with another hash is refused.
    public var requestHash: String

    public init(key: String, requestHash: String) {
        self.key = key
        self.requestHash = requestHash
    }

    /// The longest key a client may send, in bytes: keys are a primary key's column, and PostgreSQL refuses an
    /// index entry past about 2,700 bytes.
    public static let maxLength = 200

    /// Whether a client's key may be used: 1 to ``maxLength`` visible ASCII characters, like a UUID or the
    /// checkout form's random hex.
    public static func isWellFormed(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= Self.maxLength && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}

/// Orders: placing them (the one durable transaction) and reading them back.
public protocol OrderRepository: Sendable {
    /// Places an order in one transaction, or replays the order the same key placed before.
    /// Throws ``CheckoutError`` for anything the customer can fix.
    func place(_ request: OrderRequest, in store: Store, idempotency: IdempotencyKey) async throws -> PlacedOrder
    /// The store's order with this number (`PE-1042`), or nil.
    func find(store: Store, number: String) async throws -> Order?
    /// The order with this row id (as outbox jobs name it), or nil.
    func order(id: Int) async throws -> Order?
}

/// ``OrderRepository`` on the shop's database.
public struct SQLOrderRepository: OrderRepository {
    let database: Database
    /// Where PostgreSQL's checkouts are priced and checked first, confirmed by their write; nil: always read.
    let memory: CheckoutMemory?

    public init(database: Database, memory: CheckoutMemory? = nil) {
        self.database = database
        self.memory = memory
    }

    /// Marks a transaction that found its key taken; it has been rolled back and the first answer is read instead.
    private struct KeyAlreadyUsed: Error {}

    public func place(_ request: OrderRequest, in store: Store, idempotency: IdempotencyKey) async throws -> PlacedOrder {
        // A key can only vanish between our conflict and our read if it is pruned meanwhile; then try again once.
        for _ in 0..<2 {
            do {
                if self.database.engine == .postgres, request.hold == nil {
                    return try await self.placeInOneStatement(request, in: store, idempotency: idempotency)
                }
                // The checks read inside the order's transaction, so what they saw is what is written. On SQLite
                // the writer steps them itself (a few µs each, no thread hop); reading on a reader first took
                // two more hops, each waiting for a core under load (BENCHMARKS, issue 4).
                let order = try await self.database.transaction { db in
                    let checkout = try await Self.check(request, in: store, at: LocalTime.now(in: store.timeZone), reads: SQLCheckoutReads(db: db))
                    return try await Self.write(checkout, request: request, in: store, idempotency: idempotency, on: db)
                }
                return PlacedOrder(order: order, replayed: false)
            } catch is KeyAlreadyUsed {
                if let replayed = try await self.database.read({ db in try await Self.replay(storeID: store.id, idempotency: idempotency, on: db) }) {
                    return replayed
                }
            }
        }
        throw CheckoutError.idempotencyKeyReused
    }

    /// PostgreSQL, no held place: the checks' reads (``PreparedCheckoutReads``), then ``OneStatementOrder`` — no
    /// `BEGIN`, no `COMMIT`, one statement for the writes instead of six, and all of them prepared. Under
    /// PostgreSQL's read committed isolation a check in a transaction sees no more than the same check before it,
    /// and the place is taken by the writing statement itself. (A held place goes the shared way: it is rare and
    /// its row is checked in the transaction.)
    ///
    /// With a ``CheckoutMemory``, the checks run on it first, and the write confirms what they relied on
    /// (``ConfirmingOrder``): one round trip instead of three. Whatever the memory cannot vouch for — a refusal
    /// it would give, a tour with zones, a full window, a change since it was read — goes the careful way, so
    /// every answer is the one the database gives.
    private func placeInOneStatement(_ request: OrderRequest, in store: Store, idempotency: IdempotencyKey) async throws -> PlacedOrder {
        // Checked before a connection is taken: a memory being refreshed must not hold one.
        let local = LocalTime.now(in: store.timeZone)
        var memoryCheck: Checkout?
        if let memory = self.memory { memoryCheck = try? await Self.check(request, in: store, at: local, reads: memory.reads(today: local.date)) }
        return try await self.database.postgresSession { [remembered = memoryCheck] session in
            if let remembered {
                let order = Self.newOrder(remembered, request: request, in: store)
                let outcome = try await OneStatementOrder.write(
                    order, idempotency: idempotency, jobKinds: JobKind.forOrder(in: store), confirming: remembered.window, on: session
                )
                if let placed = try Self.placed(order, outcome, store: store) { return placed }
            }
            let checkout = try await Self.check(request, in: store, at: local, reads: PreparedCheckoutReads(session: session))
            let order = Self.newOrder(checkout, request: request, in: store)
            let outcome = try await OneStatementOrder.write(order, idempotency: idempotency, jobKinds: JobKind.forOrder(in: store), on: session)
            if let placed = try Self.placed(order, outcome, store: store) { return placed }
            // The shared path records the key before taking the place, so a retry of an order placed earlier
            // gets its first answer even once the window has filled; so must this one.
            if let earlier = try await Self.replay(storeID: store.id, idempotency: idempotency, on: session.sql) { return earlier }
            throw CheckoutError.windowFull(windowID: checkout.window.id)
        }
    }

    /// The order `outcome` placed; nil when nothing was written for want of a place (or of a confirmed memory).
    private static func placed(_ order: Order, _ outcome: OneStatementOrder.Outcome, store: Store) throws -> PlacedOrder? {
        switch outcome {
        case .placed(let orderID):
            var order = order
            order.number = OrderNumber.make(prefix: store.orderPrefix, id: orderID)
            return PlacedOrder(order: order, replayed: false)
        case .keyTaken:
            throw KeyAlreadyUsed()
        case .windowFull, .notConfirmed:
            return nil
        }
    }

    /// A request priced and its window checked, ready to be written.
    private struct Checkout: Sendable {
        let lines: [OrderLine]
        let window: DeliveryWindow
        /// The zone the address is in, when the tour serves zones; its fee is added to the total.
        let zone: Zone?
    }

    /// The order the key placed before, if the request is the same; nil if the key is unknown (or gone).
    private static func replay(storeID: Int, idempotency: IdempotencyKey, on db: any SQLDatabase) async throws -> PlacedOrder? {
        guard
            let row = try await db.select().columns("request_hash", "order_id").from("idempotency_keys")
                .where("store_id", .equal, storeID).where("key", .equal, idempotency.key).first()
        else { return nil }
        guard try row.decode(column: "request_hash", as: String.self) == idempotency.requestHash else {
            throw CheckoutError.idempotencyKeyReused
        }
        guard let order = try await Self.order(id: try row.decode(column: "order_id", as: Int.self), on: db) else { return nil }
        return PlacedOrder(order: order, replayed: true)
    }

    /// The checks before the writes: every refusal a customer can fix, from the catalog and tours as they are now.
    /// `local` is the store's wall clock now, which decides whether the tour still takes orders.
    private static func check(_ request: OrderRequest, in store: Store, at local: LocalTime, reads: some CheckoutReads) async throws -> Checkout {
        // 1. Price the cart against the catalog as it is now.
        let ids = request.items.map(\.product)
        let products = try await reads.products(storeID: store.id, ids: ids)
        let lines = try OrderLine.price(request.items, catalog: Dictionary(uniqueKeysWithValues: products.map { ($0.id, $0) }))

        // 2. The tour must be this store's, still taking orders (a held place is kept past the cut-off: it was
        // promised), and serve the address's zone.
        guard let window = try await reads.window(storeID: store.id, id: request.deliveryWindow) else {
            throw CheckoutError.validation([FieldError(field: "deliveryWindow", message: "There is no such delivery window in this shop.")])
        }
        guard request.hold != nil || window.isOpen(atLocalDate: local.date, time: local.time) else {
            throw CheckoutError.validation([
                FieldError(field: "deliveryWindow", message: "This delivery window takes no more orders; choose a later one.")
            ])
        }
        var zone: Zone?
        if !window.zoneIDs.isEmpty {
            let zones = try await reads.zones(storeID: store.id)
            zone = zones.zone(for: request.recipient.postcode)
            guard window.serves(zone: zone?.id) else {
                let message = request.recipient.postcode.isEmpty
                    ? "Enter the postcode of the delivery address: this window delivers to some areas only."
                    : zone.map { "This window does not deliver to \($0.name); choose a window for your area." }
                        ?? "We do not deliver to \(request.recipient.postcode) in this window; choose another window."
                throw CheckoutError.validation([FieldError(field: request.recipient.postcode.isEmpty ? "recipient.postcode" : "deliveryWindow", message: message)])
            }
        }
        return Checkout(lines: lines, window: window, zone: zone)
    }

    /// The order to write, priced, with a full snapshot of its window; its number is set once its row id is known.
    private static func newOrder(_ checkout: Checkout, request: OrderRequest, in store: Store) -> Order {
        let fee = checkout.zone?.fee ?? 0
        return Order(
            number: "", token: RandomToken.hex(), storeID: store.id, status: .new,
            total: Money(minorUnits: checkout.lines.reduce(fee) { $0 + $1.lineTotal }, currency: store.currency), lines: checkout.lines,
            deliveryWindow: WindowSnapshot(checkout.window), customer: request.customer, recipient: request.recipient,
            cardMessage: request.cardMessage, createdAt: WallClock.nowMillis, deliveryFee: fee, zoneID: checkout.zone?.id
        )
    }

    /// The order transaction's writes. The key and the place come last, so the rows other checkouts wait on
    /// are locked only until the commit.
    private static func write(
        _ checkout: Checkout, request: OrderRequest, in store: Store, idempotency: IdempotencyKey, on db: any SQLDatabase
    ) async throws -> Order {
        // 3. Insert the order with a full snapshot; its number comes from its row id.
        var order = Self.newOrder(checkout, request: request, in: store)
        let (now, window) = (order.createdAt, checkout.window)
        let orderID = try await Self.insert(order, on: db)
        order.number = OrderNumber.make(prefix: store.orderPrefix, id: orderID)

        // The order's deferred work, in the same commit: it exists if and only if the order does.
        try await SQLJobQueue.enqueue(
            JobKind.forOrder(in: store).map { kind in
                NewJob(kind: kind, payload: JobKind.orderPayload(orderID: orderID), dedupeKey: JobKind.dedupeKey(kind, orderID: orderID))
            },
            on: db
        )

        // 4. Record the key with its order. A twin racing us on PostgreSQL waits here on the unique key until
        // we commit, then finds it taken and replays our answer; a retry after our commit does the same.
        let recorded = try await db.raw(
            """
            INSERT INTO idempotency_keys (\(Self.keyColumns)) \
            VALUES (\(bind: store.id), \(bind: idempotency.key), \(bind: idempotency.requestHash), \(bind: orderID), \(bind: now)) \
            ON CONFLICT (store_id, "key") DO NOTHING RETURNING "key"
            """
        ).first()
        guard recorded != nil else { throw KeyAlreadyUsed() }

        // 5. Take the place: the one held for this customer's waiting-list offer, or a free one (zero rows
        // updated means full).
        if let hold = request.hold {
            try await WaitlistLine.useHold(token: hold, storeID: store.id, windowID: window.id, orderID: orderID, now: now, on: db)
        } else if try await !SQLDeliveryWindowRepository.reservePlace(windowID: window.id, on: db) {
            throw CheckoutError.windowFull(windowID: window.id)
        }
        return order
    }
}
