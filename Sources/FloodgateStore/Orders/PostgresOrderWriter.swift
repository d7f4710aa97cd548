import FloodgateCore
import PostgresKit

/// PostgreSQL's ``OrderWriter``: the checks' reads as prepared statements, then one statement that writes the whole
/// order (``PlaceOrderStatement``) — no `BEGIN`, no `COMMIT`, one round trip for the writes instead of six. Under
/// read committed isolation a check in a transaction sees no more than the same check before it, and the place is
/// taken by the writing statement itself.
///
/// With a ``ShownCatalog``, the checks run on what the pages show first, and the write confirms what they relied on
/// (``PlaceShownOrderStatement``): one round trip instead of three. Whatever that cannot vouch for — a refusal it
/// would give, a tour with zones, a full tour, a change since it was shown — goes the careful way, so every answer
/// is the one the database gives. An order taking a place held for the customer on a waiting list is rare and its
/// hold is checked in a transaction (``OrderTransaction``).
public struct PostgresOrderWriter: OrderWriter {
    let database: Database
    let shown: ShownCatalog?

    public init(database: Database, shown: ShownCatalog? = nil) {
        self.database = database
        self.shown = shown
    }

    public func place(_ request: OrderRequest, in store: Store, idempotency: IdempotencyKey) async throws -> PlacedOrder
    {
        if request.hold != nil {
            return try await OrderTransaction.place(request, in: store, idempotency: idempotency, on: self.database)
        }
        return try await OrderTransaction.placeOrReplay(store: store, idempotency: idempotency, on: self.database) {
            try await self.placeInOneStatement(request, in: store, idempotency: idempotency)
        }
    }

    private func placeInOneStatement(
        _ request: OrderRequest, in store: Store, idempotency: IdempotencyKey
    ) async throws -> PlacedOrder {
        // Checked before a connection is taken: a cache being refreshed must not hold one.
        let local = LocalTime.now(in: store.timeZone)
        var fromShown: Checkout?
        if let shown = self.shown {
            fromShown = try? await shown.reads(today: local.date).checkout(for: request, in: store, at: local)
        }
        let jobs = JobKind.forOrder(in: store).map { NewJob(kind: $0) }
        return try await self.database.postgresSession { [fromShown] session in
            if let fromShown {
                let order = fromShown.newOrder(for: request, in: store)
                let input = PlaceOrderStatement.Input(
                    order: order, idempotency: idempotency, jobs: jobs, shownWindow: fromShown.window)
                if let placed = try Self.placed(
                    order, try await Self.write(PlaceShownOrderStatement(input: input), on: session), store: store)
                {
                    return placed
                }
            }
            let checkout = try await PreparedCheckoutReads(session: session).checkout(
                for: request, in: store, at: local)
            let order = checkout.newOrder(for: request, in: store)
            let input = PlaceOrderStatement.Input(order: order, idempotency: idempotency, jobs: jobs, shownWindow: nil)
            if let placed = try Self.placed(
                order, try await Self.write(PlaceOrderStatement(input: input), on: session), store: store)
            {
                return placed
            }
            // A transaction records the key before taking the place, so a retry of an order placed earlier gets its
            // first answer even once the tour has filled; so must this.
            if let earlier = try await OrderTransaction.replay(
                storeID: store.id, idempotency: idempotency, on: session.sql)
            {
                return earlier
            }
            throw CheckoutError.windowFull(windowID: checkout.window.id)
        }
    }

    /// What a statement did.
    private enum Outcome {
        case placed(orderID: Int)
        /// Nothing was written: the tour had no free place, or (priced from what was shown) the catalog or the tour
        /// was no longer as shown.
        case notPlaced
        /// Another order holds the idempotency key (or a twin holding it committed meanwhile); nothing was written.
        case keyTaken
    }

    private static func write<Statement: PostgresPreparedStatement>(
        _ statement: Statement, on session: PostgresSession
    ) async throws -> Outcome
    where Statement.Row == Int {
        do {
            guard let id = try await session.run(statement).first else { return .notPlaced }
            return .placed(orderID: id)
        } catch let error as PSQLError
            where error.serverInfo?[.sqlState] == "23505" && error.serverInfo?[.tableName] == "idempotency_keys"
        {
            return .keyTaken
        }
    }

    /// The order `outcome` placed; nil when nothing was written.
    private static func placed(_ order: Order, _ outcome: Outcome, store: Store) throws -> PlacedOrder? {
        switch outcome {
        case .placed(let orderID):
            var order = order
            order.number = OrderNumber.make(prefix: store.orderPrefix, id: orderID)
            return PlacedOrder(order: order, replayed: false)
        case .keyTaken:
            throw OrderTransaction.KeyAlreadyUsed()
        case .notPlaced:
            return nil
        }
    }
}
