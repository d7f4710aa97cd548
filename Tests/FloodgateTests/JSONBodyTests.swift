import FloodgateTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Issue 22, from the property-based run against the OpenAPI document: a field that is sent holds a value of its
/// type, and valid JSON is never answered "not valid JSON".
@Suite("JSON bodies: what a field may hold")
struct JSONBodyTests {
    static let adminToken = String(repeating: "j", count: 40)

    @Test("A product change with null for a field is refused and changes nothing", arguments: TestEngine.available)
    func nullIsNotLeaveItAlone(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.http.adminToken = Self.adminToken }) { server in
            let headers = [("Authorization", "Bearer \(Self.adminToken)"), ("Content-Type", "application/json")]
            let path = "/api/v1/admin/stores/petals/products/1"
            let before = try await server.get("/api/v1/stores/petals/products/1").object
            for (body, field) in [
                (#"{"available": null}"#, "available"), (#"{"price": 1000, "available": null}"#, "available"),
                (#"{"price": null}"#, "price"),
            ] {
                let answer = try await server.request(.PATCH, path, headers: headers, body: body)
                #expect(answer.status == 422, "\(body): \(answer.status)")
                #expect(answer.problemType == "validation")
                let fields = (answer.object["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(fields == [field], "\(body): \(fields)")
            }
            let after = try await server.get("/api/v1/stores/petals/products/1").object
            #expect(after["price"] as? Int == before["price"] as? Int)
            #expect(after["available"] as? Bool == before["available"] as? Bool)
            // Leaving a field out still means "as it is".
            let change = try await server.request(.PATCH, path, headers: headers, body: #"{"available": false}"#)
            #expect(change.status == 200)
            #expect(change.object["price"] as? Int == before["price"] as? Int)
        }
    }

    @Test(
        "A number that is not a whole number of the right size is a 422, not malformed JSON",
        arguments: TestEngine.available)
    func numbersOutOfRangeAre422(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let valid = try await server.orderBody()
            let product = try await server.firstAvailableProduct()
            for number in ["9223372036854775808", "1.5", "1e30"] {
                let body = valid.replacingOccurrences(of: "\"product\":\(product)", with: "\"product\":\(number)")
                #expect(body != valid)
                let answer = try await server.postJSON("/api/v1/stores/petals/orders", body)
                #expect(answer.status == 422, "\(number): \(answer.status) \(answer.body.prefix(200))")
                #expect(answer.problemType == "validation")
            }
            // Broken JSON is still a 400.
            let broken = try await server.postJSON("/api/v1/stores/petals/orders", "{\"items\": [")
            #expect(broken.status == 400)
            #expect(broken.problemType == "malformed-json")
            #expect(try await server.orderCount == 0)
        }
    }
}
