import FloodgateCore
import Foundation
import SQLKit

/// A store's products.
public protocol CatalogRepository: Sendable {
    /// Every product of the store in catalog order, unavailable ones included.
    func products(storeID: Int) async throws -> [Product]
    func product(storeID: Int, id: Int) async throws -> Product?
    /// The products among `ids` that belong to the store.
    func products(storeID: Int, ids: [Int]) async throws -> [Product]
    /// Applies `change` to one product; the product as it is now, or nil when the store has no such product.
    /// Recorded in the audit log (before → after) as done by `actor`.
    func update(storeID: Int, id: Int, change: ProductChange, by actor: Actor) async throws -> Product?
    /// Saves whole products in one transaction — all of them or none: id 0 adds a product (at the end of the
    /// catalog), any other id replaces that product of the store. Returns them as stored; throws
    /// ``CatalogError/unknownProduct(_:)`` for an id the store does not have. Each product's change is recorded in
    /// the audit log as done by `actor`, after `summary` (e.g. an import's counts and file hash) when given.
    func save(_ products: [Product], storeID: Int, by actor: Actor, summary: AuditEntry?) async throws -> [Product]
}

/// Why a catalog change was refused.
public enum CatalogError: Error, Hashable, Sendable {
    case unknownProduct(Int)
}

/// ``CatalogRepository`` on the shop's database.
public struct SQLCatalogRepository: CatalogRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func products(storeID: Int) async throws -> [Product] {
        try await self.database.read { db in
            try await db.select().column("*").from("products").where("store_id", .equal, storeID)
                .orderBy("position").orderBy("id").all().map(Product.init(row:))
        }
    }

    public func product(storeID: Int, id: Int) async throws -> Product? {
        try await self.database.read { db in
            try await db.select().column("*").from("products")
                .where("store_id", .equal, storeID).where("id", .equal, id).first().map(Product.init(row:))
        }
    }

    public func products(storeID: Int, ids: [Int]) async throws -> [Product] {
        guard !ids.isEmpty else { return [] }
        return try await self.database.read { db in try await Self.products(storeID: storeID, ids: ids, on: db) }
    }

    public func update(storeID: Int, id: Int, change: ProductChange, by actor: Actor) async throws -> Product? {
        try await self.database.transaction { db in
            guard let before = try await Self.products(storeID: storeID, ids: [id], on: db).first else { return nil }
            var update = db.update("products").where("store_id", .equal, storeID).where("id", .equal, id)
            if let price = change.price { update = update.set("price", to: price) }
            if let available = change.available { update = update.set("available", to: available ? 1 : 0) }
            try await update.run()
            let after = try await Self.products(storeID: storeID, ids: [id], on: db).first
            if let after { try await Self.record(before: before, after: after, by: actor, on: db) }
            return after
        }
    }

    public func save(
        _ products: [Product], storeID: Int, by actor: Actor, summary: AuditEntry?
    ) async throws -> [Product] {
        try await self.database.transaction { db in
            let ids = products.map(\.id).filter { $0 != 0 }
            let before = Dictionary(
                try await Self.products(storeID: storeID, ids: ids, on: db).map { ($0.id, $0) },
                uniquingKeysWith: { first, _ in first })
            var position =
                try await db.select().column(SQLFunction("MAX", args: SQLColumn("position")), as: "p").from("products")
                .where("store_id", .equal, storeID).first().flatMap {
                    try $0.decodeNil(column: "p") ? nil : $0.decode(column: "p", as: Int.self)
                } ?? 0
            var saved: [Product] = []
            let now = WallClock.nowMillis
            for var product in products {
                let (photos, composition) = (
                    try JSONColumn.encode(product.photos), try JSONColumn.encode(product.composition)
                )
                if product.id == 0 {
                    position += 1
                    let row = try await db.raw(
                        """
                        INSERT INTO products (store_id, name, description, price, currency, available, photos, composition, position, updated_at)                         VALUES (\(bind: storeID), \(bind: product.name), \(bind: product.description), \(bind: product.price.minorUnits), \
                        \(bind: product.price.currency), \(bind: product.available ? 1 : 0), \(bind: photos), \(bind: composition), \(bind: position), \
                        \(bind: now)) RETURNING id
                        """
                    ).first()
                    product.id = try row?.decode(column: "id", as: Int.self) ?? 0
                } else {
                    let row = try await db.raw(
                        """
                        UPDATE products SET name = \(bind: product.name), description = \(bind: product.description), \
                        price = \(bind: product.price.minorUnits), available = \(bind: product.available ? 1 : 0), photos = \(bind: photos), \
                        composition = \(bind: composition), updated_at = \(bind: now) \
                        WHERE id = \(bind: product.id) AND store_id = \(bind: storeID) RETURNING id
                        """
                    ).first()
                    guard row != nil else { throw CatalogError.unknownProduct(product.id) }
                }
                product.storeID = storeID
                saved.append(product)
            }
            // The audit entries last: the chain's head is the last lock a transaction takes.
            if let summary { try await AuditChain.append(summary, by: actor, on: db) }
            for product in saved {
                try await Self.record(before: before[product.id], after: product, by: actor, on: db)
            }
            return saved
        }
    }

    /// A product added (no `before`) or changed, field by field; nothing when nothing changed.
    static func record(before: Product?, after: Product, by actor: Actor, on db: any SQLDatabase) async throws {
        let changes = AuditEntry.changes(before: before?.auditFields ?? [:], after: after.auditFields)
        guard !changes.isEmpty else { return }
        try await AuditChain.append(
            AuditEntry(
                before == nil ? "catalog.add" : "catalog.update", object: "product", id: String(after.id),
                storeID: after.storeID, details: changes),
            by: actor, on: db)
    }

    /// Shared with the order transaction, which must read prices on its own connection.
    static func products(storeID: Int, ids: [Int], on db: any SQLDatabase) async throws -> [Product] {
        try await db.select().column("*").from("products")
            .where("store_id", .equal, storeID).where("id", .in, ids).all().map(Product.init(row:))
    }
}

extension Product {
    /// What the audit log compares: a price history reads from `price`.
    var auditFields: [String: String] {
        [
            "name": self.name, "description": self.description,
            "price": "\(self.price.minorUnits) \(self.price.currency)", "available": self.available ? "yes" : "no",
            "photos": self.photos.joined(separator: " "),
            "composition": self.composition.map { "\($0.item) \($0.colour) ×\($0.quantity)" }.joined(separator: "; "),
        ]
    }

    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int.self),
            storeID: try row.decode(column: "store_id", as: Int.self),
            name: try row.decode(column: "name", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            price: Money(
                minorUnits: try row.decode(column: "price", as: Int.self),
                currency: try row.decode(column: "currency", as: String.self)),
            available: try row.decode(column: "available", as: Int.self) != 0,
            photos: try JSONColumn.decode([String].self, try row.decode(column: "photos", as: String.self)),
            composition: try JSONColumn.decode(
                [CompositionLine].self, try row.decode(column: "composition", as: String.self))
        )
    }
}

/// JSON documents kept in TEXT columns (portable across both engines).
enum JSONColumn {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
