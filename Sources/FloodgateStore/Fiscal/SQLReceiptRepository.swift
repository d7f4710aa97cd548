import FloodgateCore
import SQLKit

/// ``ReceiptRepository`` on the `receipts` table: one row per order registered at the cash register.
public struct SQLReceiptRepository: ReceiptRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func receipt(orderID: Int) async throws -> ReceiptRecord? {
        try await self.database.read { db in
            try await db.select().column("*").from("receipts").where("order_id", .equal, orderID).first().map(
                ReceiptRecord.init(row:))
        }
    }

    /// Remembers the registration; a second call for the same order keeps the first.
    public func recordRegistered(_ receipt: ReceiptRecord) async throws {
        try await self.database.transaction { db in
            try await db.insert(into: "receipts")
                .columns(
                    "order_id", "external_id", "cashier_uuid", "status", "fiscal_data", "error", "created_at",
                    "updated_at"
                )
                .values(
                    SQLBind(receipt.orderID), SQLBind(receipt.externalID), SQLBind(receipt.cashierUUID),
                    SQLBind(receipt.status),
                    SQLBind(receipt.fiscalData), SQLBind(receipt.error), SQLBind(receipt.updatedAt),
                    SQLBind(receipt.updatedAt)
                )
                .ignoringConflicts(with: ["order_id"])
                .run()
        }
    }

    public func updateStatus(orderID: Int, status: String, fiscalData: String?, error: String?) async throws {
        try await self.database.transaction { db in
            try await db.update("receipts").set("status", to: status).set("fiscal_data", to: fiscalData).set(
                "error", to: error
            )
            .set("updated_at", to: WallClock.nowMillis).where("order_id", .equal, orderID).run()
        }
    }

    /// Receipts still waiting to be printed, oldest first.
    public func waiting(limit: Int) async throws -> [ReceiptRecord] {
        try await self.database.read { db in
            try await db.select().column("*").from("receipts").where("status", .equal, "wait").orderBy("updated_at")
                .limit(limit)
                .all().map(ReceiptRecord.init(row:))
        }
    }

    /// How many receipts are in each status.
    public func counts() async throws -> [String: Int] {
        try await self.database.read { db in
            var counts: [String: Int] = [:]
            for row in try await db.select().column("status").column(
                SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
            )
            .from("receipts").groupBy("status").all() {
                counts[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }
}

extension ReceiptRecord {
    public init(
        orderID: Int, externalID: String, cashierUUID: String, status: String, fiscalData: String?, error: String?
    ) {
        self.init(
            orderID: orderID, externalID: externalID, cashierUUID: cashierUUID, status: status, fiscalData: fiscalData,
            error: error,
            updatedAt: WallClock.nowMillis
        )
    }

    init(row: any SQLRow) throws {
        self.init(
            orderID: try row.decode(column: "order_id", as: Int.self),
            externalID: try row.decode(column: "external_id", as: String.self),
            cashierUUID: try row.decode(column: "cashier_uuid", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            fiscalData: try row.decode(column: "fiscal_data", as: String?.self),
            error: try row.decode(column: "error", as: String?.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self)
        )
    }
}
