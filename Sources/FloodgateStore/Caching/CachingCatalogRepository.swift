import FloodgateCore

/// Serves a store's catalog from memory for up to `ttl`, so catalog and product pages cost no query.
///
/// A price or availability change shows on pages within `ttl`. An order is priced and checked against the
/// database, or against this cache and then confirmed by its write (``CheckoutMemory``), so a stale page can
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
    public func update(storeID: Int, id: Int, change: ProductChange) async throws -> Product? {
        let product = try await self.base.update(storeID: storeID, id: id, change: change)
        self.cache.remove(storeID)
        return product
    }

    public func save(_ products: [Product], storeID: Int) async throws -> [Product] {
        defer { self.cache.remove(storeID) }
        return try await self.base.save(products, storeID: storeID)
    }
}

/// Serves the list of stores from memory for up to `ttl` (stores change rarely; every request looks one up).
public struct CachingStoreRepository: StoreRepository {
    let base: any StoreRepository
    private let cache: TTLCache<Int, [Store]>

    public init(_ base: any StoreRepository, ttl: Duration) {
        self.base = base
        self.cache = TTLCache(ttl: ttl, capacity: 1)
    }

    public func all() async throws -> [Store] {
        try await self.cache.value(for: 0) { try await self.base.all() }
    }

    public func find(slug: String) async throws -> Store? {
        try await self.all().first { $0.slug == slug }
    }
}

/// Delivery windows as they were up to `ttl` ago: for banners like "next free delivery", and for a checkout
/// only through a ``CheckoutMemory``, whose write confirms them.
public struct CachingDeliveryWindowRepository: DeliveryWindowRepository {
    let base: any DeliveryWindowRepository
    private let cache: TTLCache<WindowsKey, [DeliveryWindow]>

    private struct WindowsKey: Hashable, Sendable {
        let storeID: Int
        let fromDate: String
    }

    public init(_ base: any DeliveryWindowRepository, ttl: Duration) {
        self.base = base
        self.cache = TTLCache(ttl: ttl)
    }

    public func windows(storeID: Int, fromDate: String) async throws -> [DeliveryWindow] {
        try await self.cache.value(for: WindowsKey(storeID: storeID, fromDate: fromDate)) {
            try await self.base.windows(storeID: storeID, fromDate: fromDate)
        }
    }

    public func window(storeID: Int, id: Int) async throws -> DeliveryWindow? {
        try await self.base.window(storeID: storeID, id: id)
    }
}
