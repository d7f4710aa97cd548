import FloodgateWeb
import Foundation
import Testing

@Suite("Crawlers and per-client limits")
struct CrawlerTests {
    static let browser = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
    static let googlebot = ("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    static let admin = ("Authorization", "Bearer s3cret-admin")

    @Test("robots.txt keeps crawlers off carts, checkout and the API; the sitemap lists every product page")
    func robotsAndSitemap() async throws {
        try await TestServer.run(.sqlite, configure: { $0.role = .web }) { server in
            let robots = try await server.get("/robots.txt", headers: [Self.googlebot])
            #expect(robots.status == 200)
            for rule in ["Disallow: /s/*/cart", "Disallow: /s/*/checkout", "Disallow: /api/", "Sitemap: "] {
                #expect(robots.body.contains(rule))
            }
            let sitemap = try await server.get("/sitemap.xml", headers: [Self.googlebot])
            #expect(sitemap.status == 200 && sitemap.header("Content-Type")?.hasPrefix("application/xml") == true)
            let products = try await server.get("/api/v1/stores/petals/products").array.compactMap { $0["id"] as? Int }
            #expect(!products.isEmpty)
            for id in products { #expect(sitemap.body.contains("/s/petals/products/\(id)</loc>")) }
            #expect(sitemap.body.contains("/s/greenbox/</loc>"))
        }
    }

    @Test(
        "A crawler past its budget gets 429 with Retry-After; a person from another address is served; a fast person is served as a robot, then refused"
    )
    func perClientLimits() async throws {
        try await TestServer.run(
            .sqlite,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
                $0.http.admission.trustForwarded = true
                // Rates so low that no token comes back while the test runs, however slow the machine.
                $0.http.admission.botRate = 0.001
                $0.http.admission.botBurst = 5
                $0.http.admission.clientRate = 0.001
                $0.http.admission.clientBurst = 10
                $0.http.admission.clientDebt = 10
            }
        ) { server in
            let product = try await server.firstAvailableProduct()
            let page = "/s/petals/products/\(product)"
            let crawler = ("X-Forwarded-For", "66.249.66.1")
            var statuses: [Int] = []
            for _ in 0..<8 { statuses.append(try await server.get(page, headers: [Self.googlebot, crawler]).status) }
            #expect(statuses.prefix(5).allSatisfy { $0 == 200 }, "\(statuses)")
            #expect(statuses.suffix(3).allSatisfy { $0 == 429 }, "\(statuses)")
            let refused = try await server.get(page, headers: [Self.googlebot, crawler])
            #expect(refused.status == 429 && (Int(refused.header("Retry-After") ?? "") ?? 0) >= 1)
            #expect(refused.body.contains("One moment, please"))
            let apiRefused = try await server.get(
                "/api/v1/stores/petals/products",
                headers: [("X-Forwarded-For", "203.0.113.50")] + Array(repeating: Self.browser, count: 1))
            #expect(apiRefused.status == 200)
            // Someone else, a person, is not affected.
            #expect(
                try await server.get(page, headers: [Self.browser, ("X-Forwarded-For", "198.51.100.23")]).status == 200)
            // A person clicking very fast: 10 in the bucket, 10 more served as a robot's, then 429.
            let fast = ("X-Forwarded-For", "198.51.100.99")
            var fastStatuses: [Int] = []
            for _ in 0..<24 { fastStatuses.append(try await server.get(page, headers: [Self.browser, fast]).status) }
            #expect(fastStatuses.prefix(20).allSatisfy { $0 == 200 }, "\(fastStatuses)")
            #expect(fastStatuses.suffix(3).allSatisfy { $0 == 429 }, "\(fastStatuses)")
            let api = try await server.get("/api/v1/stores/petals/products", headers: [Self.browser, fast])
            #expect(api.status == 429 && api.problemType == "rate-limited")
            let stats = try await server.get("/api/v1/admin/admission", headers: [Self.admin]).object
            let gate = try #require(stats["gate"] as? [String: Any])
            #expect(
                ((gate["admitted"] as? [String: Int])?["bot"] ?? 0) >= 15,
                "the crawler's 5 and the fast person's 10 over-rate requests ran as bot")
        }
    }

    @Test("Memory stays bounded under many distinct clients")
    func boundedClients() async throws {
        try await TestServer.run(
            .sqlite,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
                $0.http.admission.trustForwarded = true
                $0.http.admission.maxClients = 300
            }
        ) { server in
            let served = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var ok = 0
                        for index in 0..<250 {
                            let address = "10.\(worker).\(index / 250).\(index % 250)"
                            if try await server.get(
                                "/robots.txt", headers: [Self.browser, ("X-Forwarded-For", address)]
                            ).status == 200 {
                                ok += 1
                            }
                        }
                        return ok
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(served == 2_000)
            let stats = try await server.get("/api/v1/admin/admission", headers: [Self.admin]).object
            let tracked = try #require(stats["trackedClients"] as? Int)
            #expect(tracked > 0 && tracked <= 300, "2,000 distinct clients, at most 300 remembered: \(tracked)")
        }
    }
}
