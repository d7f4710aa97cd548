import FloodgateCore

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

/// Places orders: the one durable write of a checkout. Each engine has its own (``SQLiteOrderWriter``,
/// ``PostgresOrderWriter``), chosen when the shop is wired (``Repositories/sql(database:settings:)``).
///
/// Whatever the engine, an order is written with its lines, its search tokens, its jobs and its idempotency key
/// in one atomic step, and only if its tour had a free place (or the customer's held one): all of it or nothing.
public protocol OrderWriter: Sendable {
    /// Places an order, or replays the order the same key placed before.
    /// Throws ``CheckoutError`` for anything the customer can fix.
    func place(_ request: OrderRequest, in store: Store, idempotency: IdempotencyKey) async throws -> PlacedOrder
}

extension Checkout {
    /// The order every writer writes for `request`: a new secret token, stamped now.
    func newOrder(for request: OrderRequest, in store: Store) -> Order {
        self.order(for: request, in: store, token: RandomToken.hex(), createdAt: WallClock.nowMillis)
    }
}
