import FloodgateTestSupport
import Foundation
import Testing

@Suite("Catalog and delivery windows through the API")
struct CatalogAPITests {
    @Test("The demo stores are listed with their catalogs", arguments: TestEngine.available)
    func demoStoresAreListed(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let stores = try await server.get("/api/v1/stores").array
            #expect(stores.compactMap { $0["slug"] as? String } == ["petals", "greenbox"])

            let petals = try await server.get("/api/v1/stores/petals/products")
            #expect(petals.status == 200)
            #expect(petals.array.count >= 25)
            let rose = try #require(petals.array.first)
            #expect(rose["currency"] as? String == "RUB")
            #expect((rose["price"] as? Int ?? 0) > 0)
            #expect((rose["photos"] as? [String])?.first?.hasPrefix("/photos/petals/") == true)
            let line = try #require((rose["composition"] as? [[String: Any]])?.first)
            #expect(line["item"] as? String == "Red rose")
            #expect(line["quantity"] as? Int == 25)
            #expect(petals.array.contains { $0["available"] as? Bool == false }, "the demo has sold-out bouquets too")

            let greenbox = try await server.get("/api/v1/stores/greenbox/products").array
            #expect(greenbox.count >= 12)
            #expect(greenbox.allSatisfy { $0["currency"] as? String == "CHF" })

            let id = try #require(rose["id"] as? Int)
            let one = try await server.get("/api/v1/stores/petals/products/\(id)")
            #expect(one.object["name"] as? String == rose["name"] as? String)

            // The photo the API names is served, with cache headers.
            let photo = try await server.get((rose["photos"] as? [String])![0])
            #expect(photo.status == 200)
            #expect(photo.header("content-type")?.contains("svg") == true)
            #expect(photo.header("cache-control")?.contains("max-age") == true)
        }
    }

    @Test("Delivery windows cover the next two weeks with their remaining places", arguments: TestEngine.available)
    func deliveryWindowsAreListed(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let windows = try await server.get("/api/v1/stores/petals/delivery-windows").array
            let dates = Set(windows.compactMap { $0["date"] as? String })
            #expect(dates.count >= 13)
            let first = try #require(windows.first)
            #expect(first["capacity"] as? Int == first["remaining"] as? Int)
            #expect((first["from"] as? String)?.count == 5)
            #expect(
                windows.map { "\($0["date"]!) \($0["from"]!)" }
                    == windows.map { "\($0["date"]!) \($0["from"]!)" }.sorted())
        }
    }

    @Test("Unknown stores and products are 404 problems", arguments: TestEngine.available)
    func unknownThingsAreNotFound(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            for path in [
                "/api/v1/stores/nope/products", "/api/v1/stores/petals/products/999999",
                "/api/v1/stores/petals/products/abc",
                "/api/v1/stores/nope/delivery-windows", "/api/v1/nothing-here",
            ] {
                let response = try await server.get(path)
                #expect(response.status == 404, "\(path)")
                #expect(response.header("content-type") == "application/problem+json", "\(path)")
                #expect(response.problemType == "not-found", "\(path)")
                #expect((response.object["detail"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test("The OpenAPI document is served")
    func openAPIDocumentIsServed() async throws {
        try await TestServer.run(.sqlite) { server in
            let document = try await server.get("/api/v1/openapi.yaml")
            #expect(document.status == 200)
            #expect(document.body.hasPrefix("openapi: 3.1"))
            #expect(document.body.contains("/stores/{store}/orders:"))
        }
    }
}
