import FloodgateCore

/// Delivery windows as they were up to `ttl` ago: for banners like "next free delivery", and for a checkout
/// only through a ``ShownCatalog``, whose write confirms them.
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
