import FloodgateCore
import SQLKit

/// The stores this deployment serves.
public protocol StoreRepository: Sendable {
    func all() async throws -> [Store]
    func find(slug: String) async throws -> Store?
}

/// ``StoreRepository`` on the shop's database.
public struct SQLStoreRepository: StoreRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func all() async throws -> [Store] {
        try await self.database.read { db in
            try await db.select().column("*").from("stores").orderBy("id").all().map(Store.init(row:))
        }
    }

    public func find(slug: String) async throws -> Store? {
        try await self.database.read { db in
            try await db.select().column("*").from("stores").where("slug", .equal, slug).first().map(Store.init(row:))
        }
    }
}

extension Store {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int.self),
            slug: try row.decode(column: "slug", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            tagline: try row.decode(column: "tagline", as: String.self),
            currency: try row.decode(column: "currency", as: String.self),
            timeZone: try row.decode(column: "time_zone", as: String.self),
            orderPrefix: try row.decode(column: "order_prefix", as: String.self),
            notifyEmail: try row.decode(column: "notify_email", as: String.self),
            fiscalReceipts: try row.decode(column: "fiscal_receipts", as: Int.self) != 0
        )
    }
}
