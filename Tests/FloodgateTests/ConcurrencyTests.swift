import FloodgateTestSupport
import Foundation
import Testing

@Suite("Idempotency and capacity under concurrency")
struct ConcurrencyTests {
    @Test(
        "The same key with the same body replays the first answer; with another body it is refused",
        arguments: TestEngine.available)
    func idempotentReplay(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let body = try await server.orderBody()
            let first = try await server.postJSON("/api/v1/stores/petals/orders", body, key: "replay-1")
            // The same order with other spacing and key order is the same request.
            let reordered = try JSONSerialization.data(
                withJSONObject: try JSONSerialization.jsonObject(with: Data(body.utf8)),
                options: [.sortedKeys, .prettyPrinted])
            let second = try await server.postJSON(
                "/api/v1/stores/petals/orders", String(decoding: reordered, as: UTF8.self), key: "replay-1")
            #expect(first.status == 201)
            #expect(second.status == 201)
            #expect(second.header("idempotent-replayed") == "true")
            #expect(first.header("idempotent-replayed") == nil)
            #expect(NSDictionary(dictionary: first.object).isEqual(to: second.object))

            let other = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(quantity: 3), key: "replay-1")
            #expect(other.status == 422)
            #expect(other.problemType == "idempotency-key-reused")
            #expect(try await server.orderCount == 1)
            #expect(try await server.database.scalar("SELECT SUM(reserved) FROM delivery_windows") == 1)

            // Keys belong to a store: the same key in another store is another order.
            let greenbox = try await server.postJSON(
                "/api/v1/stores/greenbox/orders", try await server.orderBody(store: "greenbox"), key: "replay-1")
            #expect(greenbox.status == 201)
        }
    }

    @Test(
        "Identical requests racing each other place one order and all get its answer", arguments: TestEngine.available)
    func racingTwinsPlaceOneOrder(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let body = try await server.orderBody()
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await server.postJSON("/api/v1/stores/petals/orders", body, key: "twin") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == 201 }, "\(answers.map(\.status))")
            #expect(Set(answers.compactMap { $0.object["number"] as? String }).count == 1)
            #expect(answers.filter { $0.header("idempotent-replayed") == nil }.count == 1)
            #expect(try await server.orderCount == 1)
            #expect(try await server.database.scalar("SELECT SUM(reserved) FROM delivery_windows") == 1)
        }
    }

    @Test("A retried order gets its first answer even once its window has filled", arguments: TestEngine.available)
    func retryAfterWindowFilled(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let window = try await server.firstOpenWindow()
            let body = try await server.orderBody(window: window)
            let first = try await server.postJSON("/api/v1/stores/petals/orders", body, key: "retry-full")
            #expect(first.status == 201)
            try await server.database.execute("UPDATE delivery_windows SET reserved = capacity WHERE id = \(window)")

            let retry = try await server.postJSON("/api/v1/stores/petals/orders", body, key: "retry-full")
            #expect(retry.status == 201)
            #expect(retry.header("idempotent-replayed") == "true")
            #expect(retry.object["number"] as? String == first.object["number"] as? String)
            // A new order for the full window is refused, and a key reused with another order too.
            let fresh = try await server.postJSON("/api/v1/stores/petals/orders", body, key: "retry-full-2")
            #expect(fresh.status == 409)
            #expect(fresh.problemType == "window-full")
            let other = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(window: window, quantity: 2),
                key: "retry-full")
            #expect(other.status == 422)
            #expect(other.problemType == "idempotency-key-reused")
            #expect(try await server.orderCount == 1)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM idempotency_keys") == 1)
        }
    }

    @Test(
        "A window with R places and R+50 concurrent orders: exactly R succeed, never oversold",
        arguments: TestEngine.available)
    func windowIsNeverOversold(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let places = 7
            let window = try await server.firstOpenWindow()
            try await server.database.execute(
                "UPDATE delivery_windows SET capacity = \(places + 3), reserved = 3 WHERE id = \(window)")
            let body = try await server.orderBody(window: window)
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for index in 0..<(places + 50) {
                    group.addTask {
                        try await server.postJSON("/api/v1/stores/petals/orders", body, key: "race-\(index)")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = answers.filter { $0.status == 201 }
            let full = answers.filter { $0.status == 409 && $0.problemType == "window-full" }
            #expect(created.count == places)
            #expect(full.count == 50)
            #expect(created.count + full.count == answers.count, "\(Set(answers.map(\.status)))")
            #expect(Set(created.compactMap { $0.object["number"] as? String }).count == places)

            let listed = try await server.get("/api/v1/stores/petals/delivery-windows").array.first {
                $0["id"] as? Int == window
            }
            #expect(listed?["remaining"] as? Int == 0)
            #expect(
                try await server.database.scalar("SELECT reserved FROM delivery_windows WHERE id = \(window)") == places
                    + 3)
            #expect(
                try await server.database.scalar("SELECT COUNT(*) FROM orders WHERE window_id = \(window)") == places)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM idempotency_keys") == places)
        }
    }
}
