import FloodgateTestSupport
import Foundation
import Testing

@Suite("Placing orders through the API")
struct OrderAPITests {
    @Test("An accepted order is answered 201 with its snapshot and can be read back", arguments: TestEngine.available)
    func orderIsPlacedAndReadBack(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let window = try await server.firstOpenWindow()
            let before = try await server.get("/api/v1/stores/petals/delivery-windows").array.first {
                $0["id"] as? Int == window
            }
            let product = try await server.get(
                "/api/v1/stores/petals/products/\(try await server.firstAvailableProduct())"
            ).object

            let placed = try await server.postJSON(
                "/api/v1/stores/petals/orders",
                try await server.orderBody(window: window, quantity: 2, note: "С любовью ♥")
            )
            #expect(placed.status == 201)
            let order = placed.object
            let number = try #require(order["number"] as? String)
            let token = try #require(order["token"] as? String)
            #expect(number.hasPrefix("PE-"))
            #expect(order["status"] as? String == "new")
            #expect(order["total"] as? Int == (product["price"] as! Int) * 2)
            #expect(order["cardMessage"] as? String == "С любовью ♥")
            let line = try #require((order["lines"] as? [[String: Any]])?.first)
            #expect(line["name"] as? String == product["name"] as? String)
            #expect(line["unitPrice"] as? Int == product["price"] as? Int)
            #expect(
                (line["composition"] as? [[String: Any]])?.count == (product["composition"] as? [[String: Any]])?.count)
            #expect(line["photo"] as? String == (product["photos"] as? [String])?.first)
            #expect((order["deliveryWindow"] as? [String: Any])?["id"] as? Int == window)
            #expect(placed.header("location") == "/api/v1/stores/petals/orders/\(number)?token=\(token)")

            let read = try await server.get("/api/v1/stores/petals/orders/\(number)?token=\(token)")
            #expect(read.status == 200)
            #expect(NSDictionary(dictionary: read.object).isEqual(to: order))

            let after = try await server.get("/api/v1/stores/petals/delivery-windows").array.first {
                $0["id"] as? Int == window
            }
            #expect((after?["remaining"] as? Int) == (before?["remaining"] as? Int ?? 0) - 1)

            // Wrong or missing token: the order is not found, and its existence is not revealed.
            for path in [
                "/api/v1/stores/petals/orders/\(number)?token=wrong", "/api/v1/stores/petals/orders/\(number)",
                "/api/v1/stores/greenbox/orders/\(number)?token=\(token)",
            ] {
                let response = try await server.get(path)
                #expect(response.status == 404, "\(path)")
                #expect(response.problemType == "not-found")
            }
        }
    }

    @Test("The order keeps its snapshot when the catalog changes afterwards", arguments: TestEngine.available)
    func snapshotSurvivesCatalogChanges(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let product = try await server.firstAvailableProduct()
            let placed = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(product: product)
            ).object
            try await server.database.execute(
                "UPDATE products SET name = 'Renamed', price = 1, composition = '[]', photos = '[]' WHERE id = \(product)"
            )
            let read = try await server.get(
                "/api/v1/stores/petals/orders/\(placed["number"]!)?token=\(placed["token"]!)"
            ).object
            #expect(NSDictionary(dictionary: read).isEqual(to: placed))
        }
    }

    @Test("Ordering a sold-out product is a 409 and writes nothing", arguments: TestEngine.available)
    func unavailableProductIsRefused(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let soldOut = try #require(
                try await server.get("/api/v1/stores/petals/products").array.first {
                    $0["available"] as? Bool == false
                }?["id"] as? Int
            )
            let response = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(product: soldOut))
            #expect(response.status == 409)
            #expect(response.problemType == "product-unavailable")
            #expect(try await server.orderCount == 0)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM idempotency_keys") == 0)
            #expect(try await server.database.scalar("SELECT COALESCE(SUM(reserved), 0) FROM delivery_windows") == 0)
        }
    }

    @Test("A full window is a 409 window-full", arguments: TestEngine.available)
    func fullWindowIsRefused(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let window = try await server.firstOpenWindow()
            try await server.database.execute("UPDATE delivery_windows SET reserved = capacity WHERE id = \(window)")
            let response = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(window: window))
            #expect(response.status == 409)
            #expect(response.problemType == "window-full")
            #expect(try await server.orderCount == 0)
        }
    }
}
