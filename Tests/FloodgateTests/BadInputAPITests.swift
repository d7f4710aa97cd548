import FloodgateTestSupport
import Foundation
import NIOHTTP1
import Testing

@Suite("Bad input to the API")
struct BadInputAPITests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let contentType: String?
        let key: String?
        /// Body with `WINDOW` and `PRODUCT` standing for an open window and an available product.
        let body: String
        let status: Int
        let type: String
        var field: String? = nil
        var testDescription: String { self.name }
    }

    static let valid = """
        {"items":[{"product":PRODUCT,"quantity":1}],"customer":{"name":"Anna","phone":"+7 495 123-45-67","email":"anna@example.com"},
        "recipient":{"name":"Olga","phone":"+7 916 555-12-34","address":"Tverskaya 7, flat 12"},"deliveryWindow":WINDOW,"cardMessage":"Hi"}
        """

    static let cases: [Case] = [
        Case(
            name: "no Idempotency-Key", contentType: "application/json", key: nil, body: valid, status: 400,
            type: "idempotency-key-missing"),
        Case(
            name: "blank Idempotency-Key", contentType: "application/json", key: "  ", body: valid, status: 400,
            type: "idempotency-key-missing"),
        Case(
            name: "Idempotency-Key too long", contentType: "application/json", key: String(repeating: "k", count: 201),
            body: valid,
            status: 400, type: "idempotency-key-invalid"),
        Case(
            name: "not JSON", contentType: "text/plain", key: "k", body: valid, status: 415,
            type: "unsupported-media-type"),
        Case(
            name: "malformed JSON", contentType: "application/json", key: "k", body: "{\"items\": [", status: 400,
            type: "malformed-json"),
        Case(
            name: "empty body", contentType: "application/json", key: "k", body: "", status: 400, type: "malformed-json"
        ),
        Case(
            name: "JSON array instead of object", contentType: "application/json", key: "k", body: "[]", status: 422,
            type: "validation",
            field: "body"),
        Case(
            name: "empty object", contentType: "application/json", key: "k", body: "{}", status: 422,
            type: "validation", field: "customer.name"),
        Case(
            name: "quantity as text", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "\"quantity\":1", with: "\"quantity\":\"one\""), status: 422,
            type: "validation",
            field: "items[0].quantity"),
        Case(
            name: "quantity zero", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "\"quantity\":1", with: "\"quantity\":0"), status: 422,
            type: "validation",
            field: "items[0].quantity"),
        Case(
            name: "quantity 1000", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "\"quantity\":1", with: "\"quantity\":1000"), status: 422,
            type: "validation",
            field: "items[0].quantity"),
        Case(
            name: "no items", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "[{\"product\":PRODUCT,\"quantity\":1}]", with: "[]"), status: 422,
            type: "validation",
            field: "items"),
        Case(
            name: "bad email", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "anna@example.com", with: "anna-at-example"), status: 422,
            type: "validation",
            field: "customer.email"),
        Case(
            name: "bad phone", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "+7 916 555-12-34", with: "call me"), status: 422, type: "validation",
            field: "recipient.phone"),
        Case(
            name: "address too short", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "Tverskaya 7, flat 12", with: "x"), status: 422, type: "validation",
            field: "recipient.address"),
        Case(
            name: "card message too long", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "\"Hi\"", with: "\"\(String(repeating: "♥", count: 501))\""),
            status: 422,
            type: "validation", field: "cardMessage"),
        Case(
            name: "unknown product", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "PRODUCT", with: "987654"), status: 422, type: "validation",
            field: "items[0].product"),
        Case(
            name: "product of another store", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "PRODUCT", with: "40"), status: 422, type: "validation",
            field: "items[0].product"),
        Case(
            name: "unknown delivery window", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "WINDOW", with: "987654"), status: 422, type: "validation",
            field: "deliveryWindow"),
        Case(
            name: "body over 64 KiB", contentType: "application/json", key: "k",
            body: valid.replacingOccurrences(of: "\"Hi\"", with: "\"\(String(repeating: "x", count: 70_000))\""),
            status: 413,
            type: "body-too-large"),
    ]

    @Test("Each bad request gets its 4xx problem and leaves nothing written", arguments: TestEngine.available)
    func badRequestsAreRefusedCleanly(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let window = try await server.firstOpenWindow()
            let product = try await server.firstAvailableProduct()
            for c in Self.cases {
                var headers: [(String, String)] = []
                if let type = c.contentType { headers.append(("Content-Type", type)) }
                if let key = c.key { headers.append(("Idempotency-Key", key)) }
                let body = c.body.replacingOccurrences(of: "WINDOW", with: "\(window)").replacingOccurrences(
                    of: "PRODUCT", with: "\(product)")
                let response = try await server.request(
                    .POST, "/api/v1/stores/petals/orders", headers: headers, body: body)
                #expect(response.status == c.status, "\(c.name): \(response.body.prefix(300))")
                #expect(response.header("content-type") == "application/problem+json", "\(c.name)")
                #expect(response.problemType == c.type, "\(c.name): \(response.body.prefix(300))")
                #expect(response.object["status"] as? Int == c.status, "\(c.name)")
                #expect((response.object["title"] as? String)?.isEmpty == false, "\(c.name)")
                if let field = c.field {
                    let fields =
                        (response.object["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                    #expect(fields.contains(field), "\(c.name): \(fields)")
                }
            }
            #expect(try await server.orderCount == 0)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM idempotency_keys") == 0)
            #expect(try await server.database.scalar("SELECT COALESCE(SUM(reserved), 0) FROM delivery_windows") == 0)

            // After all that, the same key still places a good order: a refused request never claims it.
            let good = try await server.postJSON("/api/v1/stores/petals/orders", try await server.orderBody(), key: "k")
            #expect(good.status == 201)
        }
    }

    @Test("A window that has already started cannot be chosen")
    func pastWindowIsRefused() async throws {
        try await TestServer.run(.sqlite) { server in
            try await server.database.execute(
                "INSERT INTO delivery_windows (store_id, date, time_from, time_to, capacity, reserved) VALUES (1, '2020-02-14', '09:00', '12:00', 5, 0)"
            )
            let past = try await server.database.scalar("SELECT id FROM delivery_windows WHERE date = '2020-02-14'")
            let response = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(window: past))
            #expect(response.status == 422)
            #expect(response.problemType == "validation")
            #expect(response.body.contains("deliveryWindow"))
            #expect(try await server.orderCount == 0)
        }
    }
}
