import FloodgateTestSupport
import Foundation
import Testing

/// Text is bounded in bytes as well as characters: one character may carry any number of combining marks, and
/// PostgreSQL refuses an index entry (a name's search token, an idempotency key) past about 2,700 bytes — a 500 if
/// nothing stops it first. Each case runs on both engines, at the limit and past it.
@Suite("Field lengths in bytes as well as characters")
struct FieldLengthTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// `customer.name`, `cardMessage`: where the value goes in the order body.
        let path: String
        let value: String
        /// Nil: the order is placed.
        var refusedField: String? = nil
        var testDescription: String { self.name }
    }

    static let oneLetterWithManyAccents = "a" + String(repeating: "\u{301}", count: 2_000)

    static let cases: [Case] = [
        Case(name: "a name of 100 four-byte emoji", path: "customer.name", value: String(repeating: "😀", count: 100)),
        Case(name: "a name of 100 Cyrillic letters", path: "recipient.name", value: String(repeating: "ж", count: 100)),
        // One search word of 400 bytes (Deseret letters lower-case to four bytes too): its token fits the index.
        Case(
            name: "a name of one word of 100 four-byte letters", path: "customer.name",
            value: String(repeating: "\u{10400}", count: 100)),
        Case(
            name: "an address of 300 four-byte emoji", path: "recipient.address",
            value: String(repeating: "🌷", count: 300)),
        Case(
            name: "a card message of 500 four-byte emoji", path: "cardMessage",
            value: String(repeating: "💐", count: 500)),
        Case(
            name: "a name of 101 emoji", path: "customer.name", value: String(repeating: "😀", count: 101),
            refusedField: "customer.name"),
        // One character of 4,001 bytes: its search token would not fit PostgreSQL's index.
        Case(
            name: "a name of one letter with 2,000 accents", path: "customer.name", value: oneLetterWithManyAccents,
            refusedField: "customer.name"),
        Case(
            name: "a name of 100 letters with three accents each", path: "recipient.name",
            value: String(repeating: "e\u{301}\u{302}\u{303}", count: 100), refusedField: "recipient.name"),
        Case(
            name: "an address of 11 characters and 2,400 bytes", path: "recipient.address",
            value: "Tverskaya 7" + String(repeating: "\u{301}", count: 1_200), refusedField: "recipient.address"),
        Case(
            name: "a card message of 100 characters and 2,100 bytes", path: "cardMessage",
            value: String(repeating: "o" + String(repeating: "\u{308}", count: 10), count: 100),
            refusedField: "cardMessage"),
        Case(
            name: "a card message holding NUL", path: "cardMessage", value: "With love\u{0}",
            refusedField: "cardMessage"),
        Case(
            name: "a postcode of 21 emoji", path: "recipient.postcode", value: String(repeating: "📮", count: 21),
            refusedField: "recipient.postcode"),
        Case(
            name: "a postcode holding NUL", path: "recipient.postcode", value: "101\u{0}000",
            refusedField: "recipient.postcode"),
        Case(
            name: "an email holding NUL", path: "customer.email", value: "anna\u{0}@example.com",
            refusedField: "customer.email"),
        Case(
            name: "a phone padded with a thousand spaces", path: "customer.phone",
            value: "+7 495" + String(repeating: " ", count: 1_000) + "123-45-67", refusedField: "customer.phone"),
    ]

    /// The server's own valid order body with `value` at `path` (`customer.name`).
    static func body(_ server: TestServer, _ path: String, _ value: String) async throws -> String {
        var body = try #require(
            try JSONSerialization.jsonObject(with: Data(try await server.orderBody().utf8)) as? [String: Any])
        let parts = path.split(separator: ".").map(String.init)
        if parts.count == 2 {
            var inner = body[parts[0]] as? [String: Any] ?? [:]
            inner[parts[1]] = value
            body[parts[0]] = inner
        } else {
            body[path] = value
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    @Test(
        "Through the API: text at its limit in characters is stored as sent; past it in characters or bytes, a 422 names the field",
        arguments: TestEngine.available)
    func apiTextIsBoundedInBytes(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            var placed = 0
            for c in Self.cases {
                let response = try await server.postJSON(
                    "/api/v1/stores/petals/orders", try await Self.body(server, c.path, c.value))
                if let field = c.refusedField {
                    #expect(response.status == 422, "\(c.name): \(response.body.prefix(300))")
                    #expect(response.header("content-type") == "application/problem+json", "\(c.name)")
                    let fields =
                        (response.object["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                    #expect(fields == [field], "\(c.name): \(fields)")
                } else {
                    #expect(response.status == 201, "\(c.name): \(response.body.prefix(300))")
                    guard response.status == 201, let number = response.object["number"] as? String,
                        let token = response.object["token"] as? String
                    else { continue }
                    placed += 1
                    // Read back from the database as it was sent, on both engines.
                    let order = try await server.get("/api/v1/stores/petals/orders/\(number)?token=\(token)").object
                    let parts = c.path.split(separator: ".").map(String.init)
                    let stored: String? =
                        if parts.count == 2 { (order[parts[0]] as? [String: Any])?[parts[1]] as? String } else {
                            order[c.path] as? String
                        }
                    #expect(stored == c.value, "\(c.name)")
                }
            }
            #expect(try await server.orderCount == placed)
            #expect(placed == Self.cases.filter { $0.refusedField == nil }.count)
        }
    }

    @Test("An Idempotency-Key of 200 visible ASCII characters is used as it is", arguments: TestEngine.available)
    func longestIdempotencyKeyIsAccepted(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let key = String(repeating: "k", count: 199) + "!"
            let body = try await server.orderBody()
            let first = try await server.postJSON("/api/v1/stores/petals/orders", body, key: key)
            #expect(first.status == 201, "\(first.body.prefix(300))")
            let again = try await server.postJSON("/api/v1/stores/petals/orders", body, key: key)
            #expect(again.status == 201)
            #expect(again.header("idempotent-replayed") == "true", "the key was stored and is recognised")
            #expect(try await server.orderCount == 1)
        }
    }

    @Test(
        "The checkout form: a key that is not ours, a name too long in bytes, or a forged hold is shown again with a message, never a 500",
        arguments: TestEngine.available)
    func checkoutFormIsBoundedInBytes(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let product = try await server.firstAvailableProduct()
            let window = try await server.firstOpenWindow()
            func fields(key: String, name: String = "Anna Petrova", hold: String? = nil) -> [(String, String)] {
                var fields = [
                    ("items", "\(product)x1"), ("idempotency_key", key), ("customer_name", name),
                    ("customer_phone", "+7 495 123-45-67"),
                    ("customer_email", "anna@example.com"), ("recipient_name", "Olga"),
                    ("recipient_phone", "+7 916 555-12-34"),
                    ("address", "Tverskaya 7, flat 12"), ("window", "\(window)"), ("card_message", "Happy birthday"),
                ]
                if let hold { fields.append(("hold", hold)) }
                return fields
            }

            // 3,000 bytes would not fit the keys' index; a key of other letters is not one the form makes.
            for key in [String(repeating: "k", count: 3_000), String(repeating: "ключ", count: 10), "form key"] {
                let refused = try await server.postForm("/s/petals/checkout", fields(key: key))
                #expect(refused.status == 400, "\(key.prefix(20)): \(refused.body.prefix(300))")
                #expect(refused.body.contains("This checkout form was changed on its way here."))
                #expect(refused.body.contains("value=\"Anna Petrova\""), "what was typed is kept")
                let fresh = try #require(StorefrontTests.hiddenValue("idempotency_key", in: refused.body))
                #expect(fresh.count == 32 && fresh != key, "a fresh key of the form's own")
            }

            let accents = try await server.postForm(
                "/s/petals/checkout", fields(key: "form-accents", name: Self.oneLetterWithManyAccents))
            #expect(accents.status == 422, "\(accents.body.prefix(300))")
            #expect(accents.body.contains("letters with several accents and joined emoji count as more than one"))

            // A hold that cannot be a token is not looked up (PostgreSQL refuses NUL in text).
            let forged = try await server.postForm("/s/petals/checkout", fields(key: "form-hold", hold: "ab\u{0}cd"))
            #expect(forged.status == 422, "\(forged.body.prefix(300))")
            #expect(forged.body.contains("This waiting-list link is not valid."))
            #expect(try await server.orderCount == 0)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM idempotency_keys") == 0)

            // The longest key allowed places the order.
            let longest = String(repeating: "f", count: 200)
            let placed = try await server.postForm("/s/petals/checkout", fields(key: longest))
            #expect(placed.status == 303, "\(placed.body.prefix(300))")
            #expect(try await server.orderCount == 1)
        }
    }

    @Test(
        "A cancellation reason past 300 characters or 1,200 bytes is refused with a message; one at the limit is kept",
        arguments: TestEngine.available)
    func cancellationReasonIsBounded(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("sasha@shop.example", role: .manager)
            let numbers = try await BackOfficeTests.placeOrders(server, count: 1)
            let staff = try await server.signIn("sasha@shop.example")
            let path = "/admin/petals/orders/\(numbers[0])/status"
            for reason in [
                String(repeating: "ж", count: 301), "x" + String(repeating: "\u{301}", count: 1_500),
                "Wrong\u{0} address",
            ] {
                let refused = try await staff.post(
                    path, [("status", "cancelled"), ("from", "new"), ("reason", reason)])
                #expect((400..<500).contains(refused.status), "\(refused.status): \(refused.body.prefix(300))")
                #expect(refused.body.contains("Say why in at most 300 characters, on one line."))
            }
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM orders WHERE status = 'cancelled'") == 0)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM order_events") == 0)

            let reason = String(repeating: "🥀", count: 300)
            let cancelled = try await staff.post(path, [("status", "cancelled"), ("from", "new"), ("reason", reason)])
            #expect(cancelled.status == 303, "\(cancelled.body.prefix(300))")
            #expect(try await server.database.strings("SELECT reason FROM order_events") == [reason])
        }
    }
}
