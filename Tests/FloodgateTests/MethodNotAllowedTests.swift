import FloodgateTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Issue 22: a known address asked with a method it does not take says so (405 with `Allow`), instead of
/// pretending the address does not exist; the back-office still tells a stranger nothing.
@Suite("Methods an address does not take")
struct MethodNotAllowedTests {
    static let adminToken = String(repeating: "m", count: 40)

    @Test(
        "An API address asked with another method answers 405 problem+json with Allow", arguments: TestEngine.available)
    func apiAnswers405WithAllow(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let cases: [(HTTPMethod, String, String)] = [
                (.DELETE, "/api/v1/stores", "GET, HEAD"),
                (.PUT, "/api/v1/stores/petals/products/1", "GET, HEAD"),
                (.PATCH, "/api/v1/stores/petals/delivery-windows", "GET, HEAD"),
                (.GET, "/api/v1/stores/petals/orders", "POST"),
                (.HEAD, "/api/v1/stores/petals/orders", "POST"),
                (.DELETE, "/api/v1/stores/petals/orders/PE-1?token=x", "GET, HEAD"),
                (.GET, "/api/v1/stores/petals/delivery-windows/1/waitlist", "POST"),
            ]
            for (method, path, allow) in cases {
                let answer = try await server.request(method, path)
                #expect(answer.status == 405, "\(method) \(path): \(answer.status)")
                #expect(answer.header("Allow") == allow, "\(method) \(path)")
                #expect(answer.header("Content-Type") == "application/problem+json", "\(method) \(path)")
                guard method != .HEAD else { continue }
                #expect(answer.problemType == "method-not-allowed", "\(method) \(path): \(answer.body.prefix(200))")
                #expect(answer.object["status"] as? Int == 405)
            }
            // HEAD is GET without the body, not a refusal.
            let head = try await server.request(.HEAD, "/api/v1/stores")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            // Methods a client library would not send: TRACE is never echoed back, QUERY is refused the same way.
            for method in ["TRACE", "QUERY"] {
                let answer = try await server.raw(method, "/api/v1/stores")
                #expect(answer.status == 405, "\(method): \(answer.status)")
                #expect(answer.header("Allow") == "GET, HEAD")
            }
        }
    }

    @Test(
        "OPTIONS lists what an address takes; an address that does not exist is still 404",
        arguments: TestEngine.available)
    func optionsAndUnknownPaths(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let options = try await server.request(.OPTIONS, "/api/v1/stores/petals/products")
            #expect(options.status == 204)
            #expect(options.header("Allow") == "GET, HEAD")
            let cart = try await server.request(.OPTIONS, "/s/petals/cart")
            #expect(cart.status == 204)
            #expect(cart.header("Allow") == "GET, HEAD, POST")
            #expect(try await server.request(.DELETE, "/api/v1/nowhere").status == 404)
            #expect(try await server.request(.GET, "/api/v1/stores/petals/products/1/nowhere").status == 404)
        }
    }

    @Test("A page address asked with another method answers a 405 page with Allow", arguments: TestEngine.available)
    func pagesAnswer405(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let answer = try await server.request(.DELETE, "/s/petals/cart")
            #expect(answer.status == 405)
            #expect(answer.header("Allow") == "GET, HEAD, POST")
            #expect(answer.header("Content-Type")?.hasPrefix("text/html") == true)
            let put = try await server.request(.PUT, "/s/petals/checkout")
            #expect(put.status == 405)
            #expect(put.header("Allow") == "GET, HEAD, POST")
        }
    }

    @Test(
        "A stranger's other method on the back-office or the admin API is turned away, not told the methods",
        arguments: TestEngine.available)
    func closedPathsRefuseFirst(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.http.adminToken = Self.adminToken }) { server in
            let page = try await server.request(.DELETE, "/admin/petals/orders")
            #expect(page.status == 401)
            #expect(page.header("Allow") == nil)
            let api = try await server.request(.DELETE, "/api/v1/admin/jobs")
            #expect(api.status == 401)
            #expect(api.header("Allow") == nil)
            // With the token the admin API answers like the rest of the API.
            let admin = try await server.request(
                .DELETE, "/api/v1/admin/jobs", headers: [("Authorization", "Bearer \(Self.adminToken)")])
            #expect(admin.status == 405)
            #expect(admin.header("Allow") == "GET, HEAD")
        }
    }
}
