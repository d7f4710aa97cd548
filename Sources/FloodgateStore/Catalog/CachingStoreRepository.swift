import FloodgateCore

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
