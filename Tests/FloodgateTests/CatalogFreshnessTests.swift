import Foundation
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

            // The order is priced in its transaction, never from a page or a cache.
            let order = try await server.postJSON("/api/v1/stores/petals/orders", try await server.orderBody(product: id)).object
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
