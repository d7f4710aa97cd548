import SQLKit

/// Whole-shop figures over every order: heavy reads, for reports and drills, never for a visitor's request.
public struct OrderStatistics: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// How many orders and items the shop has taken, ever: a full scan of orders and their lines.
    public func totals() async throws -> (orders: Int, items: Int) {
        let row = try await self.database.read { db in
            try await db.raw(
                "SELECT COUNT(*) AS n, COALESCE(SUM(l.quantity), 0) AS q FROM orders o JOIN order_lines l ON l.order_id = o.id"
            ).first()
        }
        return (try row?.decode(column: "n", as: Int.self) ?? 0, try row?.decode(column: "q", as: Int.self) ?? 0)
    }
}
