import FloodgateTestSupport
import Foundation
import Synchronization
import Testing

@testable import FloodgateWeb

@Suite("Page cache: entity tags, invalidation, one render per key")
struct PageCacheTests {
    static let browser = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
    static let admin = ("Authorization", "Bearer s3cret-admin")

    @Test("A stampede on an expired page renders it once; an invalidation during a render is not kept")
    func stampede() async throws {
        let cache = PageCache(ttl: .seconds(60), marker: "<!--m-->")
        let calls = Mutex(0)
        let version = Mutex("one")
        let key = PageCache.Key(store: "petals", page: "product/1")
        let render: @Sendable () async throws -> String = {
            calls.withLock { $0 += 1 }
            let text = version.withLock { $0 }
            try await Task.sleep(for: .milliseconds(100))
            return "<p>\(text)<!--m--></p>"
        }
        let tags = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<200 { group.addTask { try await cache.entry(for: key, render: render).etag } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(calls.withLock { $0 } == 1, "200 concurrent requests, one render")
        #expect(tags.count == 1)
        // A change lands while a render of the old data is under way: that render must not be served later.
        version.withLock { $0 = "two" }
        cache.invalidate(store: "petals")
        let fresh = try await cache.entry(for: key, render: render)
        #expect(String(buffer: fresh.body(with: "")) == "<p>two</p>")
        #expect(calls.withLock { $0 } == 2)
        async let during = cache.entry(for: key, render: render)
        try await Task.sleep(for: .milliseconds(20))
        version.withLock { $0 = "three" }
        cache.invalidate(store: "petals")
        _ = try await during
        let after = try await cache.entry(for: key, render: render)
        #expect(
            String(buffer: after.body(with: "")) == "<p>three</p>", "the render begun before the change was not kept")
        // Another store's pages are untouched by an invalidation.
        let other = PageCache.Key(store: "greenbox", page: "catalog")
        _ = try await cache.entry(for: other, render: render)
        let before = calls.withLock { $0 }
        cache.invalidate(store: "petals")
        _ = try await cache.entry(for: other, render: render)
        #expect(calls.withLock { $0 } == before)
    }

    @Test("A render that fails for the request that started it is rendered once more for those waiting on it")
    func failedRenderTriedOnceMore() async throws {
        struct Refused: Error {}
        let cache = PageCache(ttl: .seconds(60), marker: "<!--m-->")
        let key = PageCache.Key(store: "petals", page: "catalog")
        let calls = Mutex(0)
        let failing = Mutex(1)  // how many renders fail before one succeeds
        let render: @Sendable () async throws -> String = {
            calls.withLock { $0 += 1 }
            // Long enough for the nine to join a render under way, even on a busy machine.
            try await Task.sleep(for: .milliseconds(300))
            if failing.withLock({ state in
                defer { state -= 1 }
                return state > 0
            }) {
                throw Refused()
            }
            return "<p>catalog<!--m--></p>"
        }
        // The starter's render fails (as its deadline would); the nine waiting get the page from one more render.
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await cache.entry(for: key, render: render)) != nil }
            try? await Task.sleep(for: .milliseconds(20))
            for _ in 0..<9 { group.addTask { (try? await cache.entry(for: key, render: render)) != nil } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 9 && outcomes.filter { !$0 }.count == 1)
        #expect(calls.withLock { $0 } == 2, "one render more for all nine, not one each")

        // A render that keeps failing fails them all, after one more try: no loop, no stampede.
        let other = PageCache.Key(store: "petals", page: "product/1")
        failing.withLock { $0 = 100 }
        calls.withLock { $0 = 0 }
        let failures = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await cache.entry(for: other, render: render)) == nil }
            try? await Task.sleep(for: .milliseconds(20))
            for _ in 0..<9 { group.addTask { (try? await cache.entry(for: other, render: render)) == nil } }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == 10)
        #expect(calls.withLock { $0 } == 2)
    }

    @Test(
        "Pages carry an ETag and Cache-Control, answer 304 when unchanged, and change at once with the product",
        arguments: TestEngine.available)
    func etagsAndInvalidation(engine: TestEngine) async throws {
        try await TestServer.run(
            engine,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
                $0.store.catalogCacheTTL = .seconds(60)
            }
        ) { server in
            let product = try await server.firstAvailableProduct()
            let path = "/s/petals/products/\(product)"
            let first = try await server.get(path, headers: [Self.browser])
            #expect(first.status == 200)
            let etag = try #require(first.header("ETag"))
            #expect(first.header("Cache-Control") == "public, max-age=0, s-maxage=60")
            #expect(first.header("Vary") == "Cookie")
            let again = try await server.get(path, headers: [Self.browser, ("If-None-Match", etag)])
            #expect(again.status == 304 && again.body.isEmpty && again.header("ETag") == etag)
            #expect(
                try await server.get(path, headers: [Self.browser, ("If-None-Match", "W/\(etag), \"other\"")]).status
                    == 304)

            // A visitor with a cart: a private page with its own tag (the badge differs).
            let withCart = try await server.get(path, headers: [Self.browser, ("Cookie", "cart_petals=\(product)x2")])
            #expect(withCart.header("Cache-Control") == "private, no-cache")
            #expect(withCart.header("ETag") != etag)
            #expect(
                try await server.get(
                    path, headers: [Self.browser, ("Cookie", "cart_petals=\(product)x2"), ("If-None-Match", etag)]
                ).status == 200)

            // The price changes: the next request shows it, long before the 60 s cache time.
            let changed = try await server.request(
                .PATCH, "/api/v1/admin/stores/petals/products/\(product)",
                headers: [Self.admin, ("Content-Type", "application/json")],
                body: #"{"price": 123456}"#
            )
            #expect(changed.status == 200 && changed.object["price"] as? Int == 123456)
            let repriced = try await server.get(path, headers: [Self.browser, ("If-None-Match", etag)])
            #expect(repriced.status == 200 && repriced.header("ETag") != etag)
            #expect(
                repriced.body.contains("1\u{202F}234,56") || repriced.body.contains("1’234.56"), "new price on the page"
            )
            #expect(try await server.get("/api/v1/stores/petals/products/\(product)").object["price"] as? Int == 123456)

            // Sold out: the catalog page says so at once.
            _ = try await server.get("/s/petals/", headers: [Self.browser])
            let soldOut = try await server.request(
                .PATCH, "/api/v1/admin/stores/petals/products/\(product)",
                headers: [Self.admin, ("Content-Type", "application/json")],
                body: #"{"available": false}"#
            )
            #expect(soldOut.status == 200 && soldOut.object["available"] as? Bool == false)
            #expect(try await server.get(path, headers: [Self.browser]).body.contains("sold out for now"))
            #expect(try await server.get("/s/petals/", headers: [Self.browser]).body.contains("Sold out"))
        }
    }

    @Test(
        "Fresh pages are answered on the connection with the router's bytes and headers; not for crawlers, carts or queries",
        arguments: TestEngine.available)
    func answeredAtConnection(engine: TestEngine) async throws {
        try await TestServer.run(
            engine,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
                $0.store.catalogCacheTTL = .seconds(60)
            }
        ) { server in
            func early() async throws -> Int {
                try await server.get("/api/v1/admin/admission", headers: [Self.admin]).object[
                    "pagesAnsweredAtConnection"] as? Int ?? -1
            }
            let product = try await server.firstAvailableProduct()
            let path = "/s/petals/products/\(product)"
            let rendered = try await server.get(path, headers: [Self.browser])
            #expect(try await early() == 0, "a page not in memory yet goes through the router")
            let cached = try await server.get(path, headers: [Self.browser])
            #expect(try await early() == 1)
            #expect(cached.status == 200 && cached.body == rendered.body)
            for name in ["ETag", "Cache-Control", "Vary", "Content-Type", "Content-Length", "Server"] {
                #expect(cached.header(name) == rendered.header(name), "\(name)")
            }
            #expect(cached.header("Date")?.hasSuffix(" GMT") == true)
            let etag = try #require(cached.header("ETag"))
            let notModified = try await server.get(path, headers: [Self.browser, ("If-None-Match", etag)])
            #expect(notModified.status == 304 && notModified.body.isEmpty && notModified.header("ETag") == etag)
            #expect(try await early() == 2)

            // Through the router as before: a crawler (admission keeps its budget), a visitor with a cart, a query.
            #expect(try await server.get(path, headers: [("User-Agent", "Googlebot/2.1")]).status == 200)
            #expect(
                try await server.get(path, headers: [Self.browser, ("Cookie", "cart_petals=\(product)x1")]).status
                    == 200)
            #expect(try await server.get(path + "?from=mail", headers: [Self.browser]).status == 200)
            #expect(try await early() == 2)
            // The catalog too; a changed price is never answered from the old page.
            _ = try await server.get("/s/petals/", headers: [Self.browser])
            #expect(try await server.get("/s/petals/", headers: [Self.browser]).status == 200)
            #expect(try await early() == 3)
            let changed = try await server.request(
                .PATCH, "/api/v1/admin/stores/petals/products/\(product)",
                headers: [Self.admin, ("Content-Type", "application/json")],
                body: #"{"price": 123456}"#
            )
            #expect(changed.status == 200)
            let repriced = try await server.get(path, headers: [Self.browser, ("If-None-Match", etag)])
            #expect(repriced.status == 200 && repriced.header("ETag") != etag)
            #expect(try await early() == 3, "the changed page was drawn again by the router")
        }
    }

    @Test("Which paths the connection may answer from memory, under which key")
    func connectionKeys() {
        #expect(CachedPageHandler.key("/s/petals/") == PageCache.Key(store: "petals", page: "catalog"))
        #expect(CachedPageHandler.key("/s/petals/products/42") == PageCache.Key(store: "petals", page: "product/42"))
        #expect(
            CachedPageHandler.key("/s/petals/products/042") == PageCache.Key(store: "petals", page: "product/42"),
            "as the router reads ids")
        for path in [
            "/s/petals", "/s//", "/s/petals/products/", "/s/petals/products/42?x=1", "/s/petals/?x=1",
            "/s/petals/products/-4",
            "/s/petals/products/0", "/s/petals/cart", "/s/petals/products/42/", "/api/v1/stores/petals/products", "/",
        ] {
            #expect(CachedPageHandler.key(path) == nil, "\(path)")
        }
    }

    @Test("Changing a product: bad input is a clear 4xx and changes nothing; without the token, 401")
    func badChanges() async throws {
        try await TestServer.run(
            .sqlite,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
            }
        ) { server in
            let product = try await server.firstAvailableProduct()
            let path = "/api/v1/admin/stores/petals/products/\(product)"
            let json = ("Content-Type", "application/json")
            let before = try await server.get("/api/v1/stores/petals/products/\(product)").object["price"] as? Int
            #expect(try await server.request(.PATCH, path, headers: [json], body: #"{"price": 1}"#).status == 401)
            let negative = try await server.request(.PATCH, path, headers: [Self.admin, json], body: #"{"price": -5}"#)
            #expect(negative.status == 422 && negative.problemType == "validation")
            #expect(try await server.request(.PATCH, path, headers: [Self.admin, json], body: "{}").status == 422)
            #expect(
                try await server.request(.PATCH, path, headers: [Self.admin, json], body: #"{"price": "cheap"}"#).status
                    == 422)
            #expect(try await server.request(.PATCH, path, headers: [Self.admin, json], body: "{price").status == 400)
            #expect(
                try await server.request(
                    .PATCH, "/api/v1/admin/stores/petals/products/999999", headers: [Self.admin, json],
                    body: #"{"price": 1}"#
                ).status == 404)
            #expect(try await server.get("/api/v1/stores/petals/products/\(product)").object["price"] as? Int == before)
        }
    }
}
