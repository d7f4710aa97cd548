import FloodgateTestSupport
import FloodgateWeb
import Foundation
import Testing

@Suite("A proxy in front refusing with the shop's waiting room")
struct ProxyShedTests {
    static let browser = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
    static let admin = ("Authorization", "Bearer s3cret-admin")

    @Test(
        "Floodgate-Shed gets the waiting room with the proxy's Retry-After (a form kept to post again), counted as shed; nothing is written; a malformed value is ignored",
        arguments: TestEngine.available
    )
    func shedByProxy(engine: TestEngine) async throws {
        try await TestServer.run(
            engine,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
                $0.http.admission.trustForwarded = true
            }
        ) { server in
            let product = try await server.firstAvailableProduct()
            let page = "/s/petals/products/\(product)"
            let shed = ("Floodgate-Shed", "7")

            let refused = try await server.get(page, headers: [Self.browser, shed])
            #expect(refused.status == 503 && refused.header("Retry-After") == "7")
            #expect(refused.header("Cache-Control") == "no-store")
            #expect(
                refused.body.contains("data-testid=\"waiting-room\"")
                    && refused.body.contains("id=\"countdown\" data-testid=\"countdown\">7<"))

            let api = try await server.get("/api/v1/stores/petals/products", headers: [Self.browser, shed])
            #expect(api.status == 503 && api.problemType == "overloaded" && api.header("Retry-After") == "7")

            // A refused add to the cart is kept in the page, to be posted again; the cart is not changed now.
            let add = try await server.request(
                .POST, "/s/petals/cart/items",
                headers: [Self.browser, shed, ("Content-Type", "application/x-www-form-urlencoded")],
                body: "product=\(product)&quantity=2"
            )
            #expect(add.status == 503 && add.cookies["cart_petals"] == nil)
            #expect(
                add.body.contains("action=\"/s/petals/cart/items\"")
                    && add.body.contains("name=\"quantity\" value=\"2\""))

            // A refused order writes nothing.
            let ordersBefore = try await server.orderCount
            let order = try await server.request(
                .POST, "/api/v1/stores/petals/orders",
                headers: [shed, ("Content-Type", "application/json"), ("Idempotency-Key", UUID().uuidString)],
                body: try await server.orderBody()
            )
            #expect(order.status == 503 && order.problemType == "overloaded")
            #expect(try await server.orderCount == ordersBefore)

            for value in ["soon", "0", "301", ""] {
                #expect(
                    try await server.get(page, headers: [Self.browser, ("Floodgate-Shed", value)]).status == 200,
                    "Floodgate-Shed: \(value)")
            }

            let stats = try await server.get("/api/v1/admin/admission", headers: [Self.admin]).object
            let gate = try #require(stats["gate"] as? [String: Any])
            let shedCounts = try #require(gate["shed"] as? [String: Int])
            #expect(
                shedCounts["browse"] == 2 && shedCounts["cart"] == 1 && shedCounts["checkout"] == 1, "\(shedCounts)")
            #expect(
                ((gate["admitted"] as? [String: Int])?["checkout"] ?? 0) == 0,
                "the refused order never reached its door")
        }
    }

    @Test(
        "Floodgate-Shed is heard only from a trusted proxy, and its waiting pages never push pages out of the page cache",
        arguments: TestEngine.available)
    func shedNeedsTrustAndKeepsTheCache(engine: TestEngine) async throws {
        try await TestServer.run(
            engine,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
            }
        ) { server in
            let page = "/s/petals/products/\(try await server.firstAvailableProduct())"
            // No proxy trusted: a visitor's own header changes nothing and is counted as nothing.
            #expect(try await server.get(page, headers: [Self.browser, ("Floodgate-Shed", "7")]).status == 200)
            let stats = try await server.get("/api/v1/admin/admission", headers: [Self.admin]).object
            let shed = (stats["gate"] as? [String: Any])?["shed"] as? [String: Int] ?? [:]
            #expect(shed.values.reduce(0, +) == 0, "\(shed)")
        }
        try await TestServer.run(
            engine,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
                $0.http.admission.trustForwarded = true
            }
        ) { server in
            // The cart page goes through the router (a fresh product page may be answered on the connection).
            let page = "/s/petals/cart"
            #expect(try await server.get(page, headers: [Self.browser]).status == 200)
            let before =
                try await server.get("/api/v1/admin/admission", headers: [Self.admin]).object["pageRenders"] as? Int
                ?? -1
            for seconds in 1...40 {
                #expect(
                    try await server.get(page, headers: [Self.browser, ("Floodgate-Shed", "\(seconds)")]).status == 503)
            }
            let after =
                try await server.get("/api/v1/admin/admission", headers: [Self.admin]).object["pageRenders"] as? Int
                ?? -1
            #expect(after == before, "forty waits drew their pages in the page cache: \(before) → \(after)")
        }
    }
}
