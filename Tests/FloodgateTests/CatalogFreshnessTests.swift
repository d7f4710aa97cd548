import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Catalog pages served from memory stay honest")
struct CatalogFreshnessTests {
    @Test("A price change is charged at once and shown on pages within the cache time", arguments: TestEngine.available)
    func priceChangeIsChargedAtOnceAndShownSoon(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let id = try await server.firstAvailableProduct()
            let before = try await server.get("/api/v1/stores/petals/products/\(id)").object["price"] as? Int ?? 0
            _ = try await server.get("/s/petals/products/\(id)")  // the page is now rendered and kept
            try await server.database.execute("UPDATE products SET price = price + 100000 WHERE id = \(id)")

            // The order is priced against the database, or from the cache and then confirmed by its write.
            let order = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(product: id)
            ).object
            #expect(order["total"] as? Int == before + 100_000)

            // Pages follow within the catalog cache time (1 s by default); allow generous slack on a busy machine.
            let roubles = (before + 100_000) / 100
            let newPrice = "\(roubles / 1000)\u{202F}\(String(format: "%03d", roubles % 1000))\u{00A0}₽"
            var shown = false
            for _ in 0..<50 where !shown {
                shown = try await server.get("/s/petals/products/\(id)").body.contains(newPrice)
                if !shown { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(shown, "the product page shows the new price within 5 s")
        }
    }

    @Test(
        "A catalog that expires under load is read once for all who miss it, and a change during the read is not kept")
    func catalogReadOncePerExpiry() async throws {
        try await TestServer.run(.sqlite) { server in
            let base = CountingCatalog(base: SQLCatalogRepository(database: server.database))
            let catalog = CachingCatalogRepository(base, ttl: .seconds(60))
            let store = 1
            // Fifty checkouts and pages missing the catalog at once: one read of the database.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 { group.addTask { try await catalog.products(storeID: store).count } }
                for try await count in group { #expect(count > 0) }
            }
            #expect(base.reads == 1)
            _ = try await catalog.products(storeID: store)
            #expect(base.reads == 1)

            // A product changed (through the cache) while a read is under way: what that read saw is not kept,
            // so the next visitor reads the catalog again and sees the change.
            let id = try await server.firstAvailableProduct()
            _ = try await catalog.update(storeID: store, id: id, change: ProductChange(price: 1), by: .system)
            base.holdNextRead()
            async let slow = catalog.products(storeID: store)
            try await base.waitUntilHeld()
            _ = try await catalog.update(storeID: store, id: id, change: ProductChange(price: 3), by: .system)
            base.release()
            _ = try await slow
            let after = base.reads
            #expect(try await catalog.product(storeID: store, id: id)?.price.minorUnits == 3)
            #expect(base.reads == after + 1)
        }
    }

    @Test("A page rendered once still shows each visitor their own cart")
    func sharedPageKeepsEachVisitorsCart() async throws {
        try await TestServer.run(.sqlite) { server in
            let id = try await server.firstAvailableProduct()
            let anna = try await server.get("/s/petals/products/\(id)", headers: [("Cookie", "cart_petals=\(id)x2")])
            let boris = try await server.get("/s/petals/products/\(id)", headers: [("Cookie", "cart_petals=\(id)x7")])
            let guest = try await server.get("/s/petals/products/\(id)")
            #expect(anna.body.contains("data-testid=\"cart-count\">2<"))
            #expect(boris.body.contains("data-testid=\"cart-count\">7<"))
            #expect(!guest.body.contains("cart-count"))
            #expect(!guest.body.contains("floodgate:cart-badge"))
            let catalog = try await server.get("/s/petals/", headers: [("Cookie", "cart_petals=\(id)x3")])
            #expect(catalog.body.contains("data-testid=\"cart-count\">3<"))
        }
    }
}

/// The shop's catalog, counting its reads of every product; one read can be held until released.
private final class CountingCatalog: CatalogRepository, Sendable {
    let base: any CatalogRepository
    private let state = Mutex((reads: 0, hold: false, held: false))
    private let gate = AsyncStream<Void>.makeStream()

    init(base: any CatalogRepository) {
        self.base = base
    }

    var reads: Int { self.state.withLock { $0.reads } }

    func holdNextRead() { self.state.withLock { $0.hold = true } }

    func waitUntilHeld() async throws {
        for _ in 0..<500 where !self.state.withLock({ $0.held }) { try await Task.sleep(for: .milliseconds(10)) }
    }

    func release() { self.gate.continuation.yield() }

    func products(storeID: Int) async throws -> [Product] {
        let products = try await self.base.products(storeID: storeID)
        let hold = self.state.withLock { state in
            state.reads += 1
            defer { state.hold = false }
            state.held = state.hold
            return state.hold
        }
        if hold { for await _ in self.gate.stream { break } }
        return products
    }

    func product(storeID: Int, id: Int) async throws -> Product? {
        try await self.base.product(storeID: storeID, id: id)
    }
    func products(storeID: Int, ids: [Int]) async throws -> [Product] {
        try await self.base.products(storeID: storeID, ids: ids)
    }
    func update(storeID: Int, id: Int, change: ProductChange, by actor: Actor) async throws -> Product? {
        try await self.base.update(storeID: storeID, id: id, change: change, by: .system)
    }
    func save(
        _ products: [Product], storeID: Int, by actor: Actor, summary: AuditEntry?
    ) async throws -> [Product] {
        try await self.base.save(products, storeID: storeID, by: actor, summary: summary)
    }
}
