import FloodgateCore

/// Serves a store's catalog from memory for up to `ttl`, so catalog and product pages cost no query.
///
/// A price or availability change shows on pages within `ttl`. An order is priced and checked against the
/// database, or against this cache and then confirmed by its write (``ShownCatalog``), so a stale page can
/// never sell at a stale price.
public struct CachingCatalogRepository: CatalogRepository {
    let base: any CatalogRepository
    private let cache: TTLCache<Int, [Product]>

    public init(_ base: any CatalogRepository, ttl: Duration) {
        self.base = base
        self.cache = TTLCache(ttl: ttl)
    }

    public func products(storeID: Int) async throws -> [Product] {
        try await self.cache.value(for: storeID) { try await self.base.products(storeID: storeID) }
    }

    public func product(storeID: Int, id: Int) async throws -> Product? {
        try await self.products(storeID: storeID).first { $0.id == id }
    }

    public func products(storeID: Int, ids: [Int]) async throws -> [Product] {
        let wanted = Set(ids)
        return try await self.products(storeID: storeID).filter { wanted.contains($0.id) }
    }

    /// Writes through and forgets the store's cached catalog, so this process shows the change at once.
    public func update(storeID: Int, id: Int, change: ProductChange, by actor: Actor) async throws -> Product? {
        let product = try await self.base.update(storeID: storeID, id: id, change: change, by: actor)
        self.cache.remove(storeID)
        return product
    }

    public func save(
        _ products: [Product], storeID: Int, by actor: Actor, summary: AuditEntry?
    ) async throws -> [Product] {
        defer { self.cache.remove(storeID) }
        return try await self.base.save(products, storeID: storeID, by: actor, summary: summary)
    }
}
