import FloodgateTestSupport
import FloodgateWeb
import Foundation
import Synchronization
import Testing

@Suite("Overload: admission control end to end")
struct OverloadTests {
    static let browser = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120")

    final class Statuses: Sendable {
        let all = Mutex<[(kind: String, status: Int, retryAfter: String?, type: String?)]>([])
    }

    @Test("Far more requests than places: only 2xx/429/503 with Retry-After, checkouts succeed, the server recovers")
    func overload() async throws {
        try await TestServer.run(
            .sqlite,
            configure: {
                $0.role = .web
                $0.http.admission.maxLimit = 2
                // Room to wait for every checkout (they evict lower classes); browse and bots overflow it.
                $0.http.admission.queue = 12
            }
        ) { server in
            let product = try await server.firstAvailableProduct()
            let window = try await server.firstOpenWindow()
            let statuses = Statuses()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<150 {
                    group.addTask {
                        let answer: TestResponse
                        let kind: String
                        if index % 15 == 0 {
                            kind = "checkout"
                            answer = try await server.request(
                                .POST, "/api/v1/stores/petals/orders",
                                headers: [
                                    Self.browser, ("Content-Type", "application/json"),
                                    ("Idempotency-Key", UUID().uuidString),
                                ],
                                body: try await server.orderBody(window: window, product: product)
                            )
                        } else if index % 3 == 0 {
                            kind = "bot"
                            answer = try await server.get(
                                "/s/petals/products/\(product)", headers: [("User-Agent", "Googlebot/2.1")])
                        } else {
                            kind = "browse"
                            answer = try await server.get(
                                index % 2 == 0 ? "/s/petals/products/\(product)" : "/api/v1/stores/petals/products",
                                headers: [Self.browser])
                        }
                        statuses.all.withLock {
                            $0.append((kind, answer.status, answer.header("Retry-After"), answer.problemType))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = statuses.all.withLock { $0 }
            #expect(all.count == 150)
            #expect(
                all.allSatisfy { [200, 201, 503].contains($0.status) || ($0.kind == "bot" && $0.status == 429) },
                "\(Set(all.map(\.status)))")
            #expect(all.filter { $0.kind == "checkout" }.allSatisfy { $0.status == 201 }, "every checkout succeeds")
            let shed = all.filter { $0.status == 503 || $0.status == 429 }
            #expect(!shed.isEmpty, "the load was more than two places and twelve waiting can hold")
            #expect(shed.allSatisfy { (Int($0.retryAfter ?? "") ?? 0) >= 1 }, "\(shed.map { "\($0)" })")
            #expect(shed.allSatisfy { $0.kind != "checkout" }, "\(shed.map { "\($0)" })")
            let accepted = all.filter { $0.status == 201 }.count
            #expect(accepted == 10)
            #expect(
                try await server.database.scalar("SELECT COUNT(*) FROM orders") == accepted, "no accepted order lost")
            // Load gone: the next visitor is served.
            #expect(try await server.get("/s/petals/products/\(product)", headers: [Self.browser]).status == 200)
        }
    }

    @Test("Answers are timed in the shop per class, from the connection, cached pages and checkouts included")
    func inShopTimes() async throws {
        let admin = ("Authorization", "Bearer s3cret-admin")
        try await TestServer.run(
            .sqlite,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
            }
        ) { server in
            let product = try await server.firstAvailableProduct()
            let window = try await server.firstOpenWindow()
            func counts() async throws -> [String: Int] {
                let inShop =
                    try await server.get("/api/v1/admin/admission", headers: [admin]).object["inShop"]
                    as? [String: [String: Any]] ?? [:]
                return inShop.mapValues { ($0["counts"] as? [Int] ?? []).reduce(0, +) }
            }
            let before = try await counts()
            // Rendered, then answered on the connection from the cache; a missing product (404) is not counted.
            for _ in 0..<3 {
                #expect(try await server.get("/s/petals/products/\(product)", headers: [Self.browser]).status == 200)
            }
            #expect(try await server.get("/s/petals/products/999999", headers: [Self.browser]).status == 404)
            let placed = try await server.request(
                .POST, "/api/v1/stores/petals/orders",
                headers: [Self.browser, ("Content-Type", "application/json"), ("Idempotency-Key", UUID().uuidString)],
                body: try await server.orderBody(window: window, product: product)
            )
            #expect(placed.status == 201)
            let after = try await counts()
            #expect(after["checkout", default: 0] - before["checkout", default: 0] == 1)
            #expect(after["browse", default: 0] - before["browse", default: 0] == 3)
            #expect(after["bot", default: 0] == before["bot", default: 0])
        }
    }
}
