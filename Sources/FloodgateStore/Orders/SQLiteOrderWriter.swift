import FloodgateCore

/// SQLite's ``OrderWriter``: each order in one transaction on the single writer, which commits checkouts in groups
/// (``OrderTransaction``).
public struct SQLiteOrderWriter: OrderWriter {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func place(_ request: OrderRequest, in store: Store, idempotency: IdempotencyKey) async throws -> PlacedOrder
    {
        try await OrderTransaction.place(request, in: store, idempotency: idempotency, on: self.database)
    }
}
