import FloodgateTestSupport
import Foundation
import Testing

@testable import FloodgateWeb

@Suite("Security headers on every answer; photos that are never pages; templates without inline script or style")
struct SecurityHeadersTests {
    static let browser = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
    static let token = "security-headers-test-token-0123456789abcdef"
    static let admin = ("Authorization", "Bearer \(Self.token)")

    /// The headers every answer carries (``SecurityHeaders``); photos carry their own, stricter policy.
    static func expectProtected(
        _ answer: TestResponse, _ what: String, policy: String = SecurityHeaders.contentSecurityPolicy
    ) {
        #expect(answer.header("X-Content-Type-Options") == "nosniff", "\(what): nosniff")
        #expect(answer.header("Content-Security-Policy") == policy, "\(what): Content-Security-Policy")
        #expect(answer.header("Referrer-Policy") == "same-origin", "\(what): Referrer-Policy")
        #expect(answer.header("X-Frame-Options") == "DENY", "\(what): X-Frame-Options")
    }

    @Test(
        "The page policy allows only the shop's own scripts, styles and images, posts only to the shop, and no framing")
    func pagePolicy() {
        let directives = Set(
            SecurityHeaders.contentSecurityPolicy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
        for directive in [
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "form-action 'self'",
            "frame-ancestors 'none'", "object-src 'none'",
            "base-uri 'none'",
        ] {
            #expect(directives.contains(directive), "\(directive)")
        }
        #expect(!SecurityHeaders.contentSecurityPolicy.contains("unsafe"))
    }

    @Test(
        "Storefront pages (rendered, and answered from memory on the connection), the API, static files, health and errors carry the headers",
        arguments: TestEngine.available
    )
    func storefrontAPIAndStatic(engine: TestEngine) async throws {
        try await TestServer.run(
            engine,
            configure: {
                $0.role = .web
                $0.http.adminToken = Self.token
                $0.store.catalogCacheTTL = .seconds(60)
            }
        ) { server in
            func early() async throws -> Int {
                try await server.get("/api/v1/admin/admission", headers: [Self.admin]).object[
                    "pagesAnsweredAtConnection"] as? Int ?? -1
            }
            Self.expectProtected(try await server.get("/", headers: [Self.browser]), "home")
            let product = try await server.firstAvailableProduct()
            let path = "/s/petals/products/\(product)"
            let rendered = try await server.get(path, headers: [Self.browser])
            #expect(rendered.status == 200)
            Self.expectProtected(rendered, "product page through the router")
            let before = try await early()
            let cached = try await server.get(path, headers: [Self.browser])
            #expect(try await early() == before + 1, "the second visit is answered on the connection")
            #expect(cached.status == 200 && cached.body == rendered.body)
            Self.expectProtected(cached, "product page from memory on the connection")
            let etag = try #require(cached.header("ETag"))
            let notModified = try await server.get(path, headers: [Self.browser, ("If-None-Match", etag)])
            #expect(notModified.status == 304)
            Self.expectProtected(notModified, "304 from the connection")
            _ = try await server.get("/s/petals/", headers: [Self.browser])
            Self.expectProtected(try await server.get("/s/petals/", headers: [Self.browser]), "catalog from memory")
            Self.expectProtected(try await server.get("/s/petals/cart", headers: [Self.browser]), "cart")
            Self.expectProtected(
                try await server.get("/s/petals/checkout", headers: [Self.browser]), "checkout (empty cart: a redirect)"
            )

            let products = try await server.get("/api/v1/stores/petals/products")
            #expect(products.status == 200)
            Self.expectProtected(products, "API list")
            let missing = try await server.get("/api/v1/stores/nowhere/products")
            #expect(missing.status == 404)
            Self.expectProtected(missing, "API problem")
            Self.expectProtected(try await server.get("/api/v1/admin/admission"), "admin API refusing a missing token")
            Self.expectProtected(try await server.get("/healthz"), "health")
            Self.expectProtected(try await server.get("/no/such/page", headers: [Self.browser]), "404 page")

            let css = try await server.get("/static/style.css")
            #expect(css.status == 200 && css.header("Content-Type")?.hasPrefix("text/css") == true)
            Self.expectProtected(css, "stylesheet")
            // With nosniff a browser runs a script only if it is sent as JavaScript.
            for script in ["/static/waiting.js", "/static/print.js"] {
                let answer = try await server.get(script)
                #expect(
                    answer.status == 200 && answer.header("Content-Type")?.hasPrefix("text/javascript") == true,
                    "\(script)")
                Self.expectProtected(answer, script)
            }
        }
    }

    @Test(
        "The back-office, signed in or not, carries the headers: no page of it can be framed",
        arguments: TestEngine.available)
    func backOffice(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let login = try await server.get("/admin/login")
            #expect(login.status == 200)
            Self.expectProtected(login, "sign-in form")
            let stranger = try await server.get("/admin/petals/orders")
            #expect(stranger.status == 303)
            Self.expectProtected(stranger, "redirect to sign in")

            try await server.addStaff("olga@shop.example", role: .owner)
            let owner = try await server.signIn("olga@shop.example")
            let number = try await BackOfficeTests.placeOrders(server, count: 1)[0]
            for path in [
                "/admin/petals/", "/admin/petals/orders", "/admin/petals/orders/\(number)",
                "/admin/petals/orders/\(number)/sheet",
                "/admin/petals/tours", "/admin/petals/delivery", "/admin/petals/products", "/admin/petals/products/1",
                "/admin/petals/exports",
            ] {
                let page = try await owner.get(path)
                #expect(page.status == 200, "\(path)")
                Self.expectProtected(page, path)
                #expect(page.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(path)")
            }
        }
    }

    @Test(
        "The waiting room, as a page and as problem+json, carries the headers and runs no inline script",
        arguments: TestEngine.available)
    func waitingRoom(engine: TestEngine) async throws {
        try await TestServer.run(
            engine,
            configure: {
                // One request in a hundred seconds, no debt: the second request is refused with the waiting room.
                $0.http.admission.clientRate = 0.01
                $0.http.admission.clientBurst = 1
                $0.http.admission.clientDebt = 0
            }
        ) { server in
            var room: TestResponse?
            for _ in 0..<5 {
                let answer = try await server.get("/s/petals/cart", headers: [Self.browser])
                if answer.status == 429 {
                    room = answer
                    break
                }
            }
            let page = try #require(room, "a quick second request gets the waiting room")
            #expect(page.body.contains("data-testid=\"waiting-room\""))
            Self.expectProtected(page, "waiting room")
            #expect(page.body.contains("<script src=\"/static/waiting.js\" defer></script>"))
            let inline = try TemplateScan.inlineCode(in: page.body)
            #expect(inline.isEmpty, "\(inline)")

            let api = try await server.get("/api/v1/stores/petals/products")
            #expect(api.status == 429 && api.problemType == "rate-limited")
            Self.expectProtected(api, "rate-limited API answer")
        }
    }

    @Test(
        "Photos are served as the picture type their name says, with nosniff and a policy that runs nothing",
        arguments: TestEngine.available)
    func photos(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            let owner = try await server.signIn("olga@shop.example")
            // A 1×1 PNG, uploaded: stored under a name whose extension comes from its bytes.
            let png = StaffBrowser.onePixelPNG
            let uploaded = try await owner.upload(
                "/admin/petals/products/1/photo", field: "photo", filename: "rose.html", type: "text/html", bytes: png
            )
            #expect(uploaded.status == 303)
            let stored = try await server.get("/api/v1/stores/petals/products/1").object
            let path = try #require((stored["photos"] as? [String])?.first)
            #expect(
                path.hasSuffix(".png"), "the name comes from the bytes, not from the file name or the browser's claim")
            let photo = try await server.get(path)
            #expect(photo.status == 200 && photo.header("Content-Type") == "image/png")
            Self.expectProtected(photo, "uploaded photo", policy: PhotoFilesMiddleware.policy)
            #expect(photo.header("Content-Disposition") == nil)

            // Files put in the folder some other way: a page under a photo's name, a page, a drawing with a script.
            let folder = server.dataDirectory + "/photos/petals/"
            let page = "<html><body><script>alert('floodgate-planted')</script></body></html>"
            try page.write(toFile: folder + "planted.jpg", atomically: true, encoding: .utf8)
            try page.write(toFile: folder + "planted.html", atomically: true, encoding: .utf8)
            try page.write(toFile: folder + "planted.htm", atomically: true, encoding: .utf8)
            try page.write(toFile: folder + "planted.txt", atomically: true, encoding: .utf8)
            let drawing = #"<svg xmlns="http://www.w3.org/2000/svg"><script>alert('floodgate-planted')</script></svg>"#
            try drawing.write(toFile: folder + "planted.svg", atomically: true, encoding: .utf8)

            let disguised = try await server.get("/photos/petals/planted.jpg")
            #expect(disguised.status == 200)
            #expect(
                disguised.header("Content-Type") == "image/jpeg",
                "the type its name says, never one guessed from the content")
            Self.expectProtected(disguised, "a page under a photo's name", policy: PhotoFilesMiddleware.policy)

            for spelling in [
                "/photos/petals/planted.html", "/photos/petals/planted.htm", "/photos/petals/planted.txt",
                "/photos/petals/planted.HTML",
                "/photos/petals/planted%2Ehtml", "/photos/petals/planted.html?.png", "/photos/petals/planted.html/",
                "/photos/petals",
                "/photos/petals/", "/photos/",
            ] {
                let answer = try await server.get(spelling, headers: [Self.browser])
                #expect(answer.status == 404, "\(spelling): \(answer.status)")
                #expect(!answer.body.contains("floodgate-planted"), "\(spelling) is not served")
            }

            // An SVG (the demo draws its photos so) is a download when opened, and runs nothing in any case.
            let svg = try await server.get("/photos/petals/planted.svg")
            #expect(svg.status == 200 && svg.header("Content-Type") == "image/svg+xml")
            #expect(svg.header("Content-Disposition") == "attachment")
            #expect(svg.header("Content-Security-Policy")?.contains("sandbox") == true)
            #expect(svg.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            Self.expectProtected(svg, "SVG", policy: PhotoFilesMiddleware.policy)
            let demo = try await server.get("/photos/petals/demo-1.svg")
            #expect(demo.status == 200 && demo.header("Content-Type") == "image/svg+xml")
        }
    }

    @Test("Only names ending in a picture's extension are served from the photos folder, each with its one type")
    func photoTypes() {
        #expect(PhotoFilesMiddleware.mediaType(of: "/photos/petals/1-ab.jpg") == "image/jpeg")
        #expect(PhotoFilesMiddleware.mediaType(of: "/photos/petals/1-ab.JPEG") == "image/jpeg")
        #expect(PhotoFilesMiddleware.mediaType(of: "/photos/petals/1-ab.png") == "image/png")
        #expect(PhotoFilesMiddleware.mediaType(of: "/photos/petals/1-ab.webp") == "image/webp")
        #expect(PhotoFilesMiddleware.mediaType(of: "/photos/petals/x.html.png") == "image/png")
        for name in [
            "/photos/petals/x.html", "/photos/petals/x.png.html", "/photos/petals/x.gif", "/photos/petals/x",
            "/photos/x.png/", "/photos/x.png/y",
            "/photos/.htaccess",
        ] {
            #expect(PhotoFilesMiddleware.mediaType(of: name) == nil, "\(name)")
        }
        #expect(Set(PhotoFilesMiddleware.types.values) == ["image/jpeg", "image/png", "image/webp", "image/svg+xml"])
    }

    @Test(
        "No template or page has inline script, an event handler attribute or inline style: the policy needs no 'unsafe-inline'"
    )
    func templatesHaveNoInlineCode() async throws {
        let views = try await Views.load()
        let folder = views.resourcesDirectory + "/templates"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mustache") }
        #expect(names.count >= 20)
        for name in names {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let inline = try TemplateScan.inlineCode(in: text)
            #expect(inline.isEmpty, "\(name): \(inline)")
            // Every script a template loads is one of the shop's own files, and is there.
            for source in TemplateScan.scriptSources(in: text) {
                #expect(source.hasPrefix("/static/"), "\(name): \(source)")
                let file = views.staticDirectory + "/" + String(source.dropFirst("/static/".count))
                #expect(FileManager.default.fileExists(atPath: file), "\(name): \(source)")
            }
        }
    }
}

/// Finds in HTML (or a template of it) what a strict Content-Security-Policy would refuse to run or apply.
enum TemplateScan {
    /// Inline `<script>` (one without `src`), `<style>` blocks, `style=` and `on…=` attributes, `javascript:` addresses.
    static func inlineCode(in html: String) throws -> [String] {
        var found: [String] = []
        for tag in Self.tags(named: "script", in: html) where !tag.contains(" src=") { found.append(tag) }
        found += Self.tags(named: "style", in: html)
        let attribute = try Regex(#"<[a-zA-Z][^>]*\s(style|on[a-z]+)\s*="#)
        found += html.matches(of: attribute).map { String(html[$0.range]) }
        if html.lowercased().contains("javascript:") { found.append("javascript:") }
        return found
    }

    /// The `src` of every `<script>`.
    static func scriptSources(in html: String) -> [String] {
        Self.tags(named: "script", in: html).compactMap { tag in
            guard let start = tag.range(of: "src=\"") else { return nil }
            return String(tag[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// Every opening tag `<name …>` (case-insensitive), as written.
    private static func tags(named name: String, in html: String) -> [String] {
        var tags: [String] = []
        var rest = html[...]
        while let open = rest.range(of: "<\(name)", options: .caseInsensitive) {
            let after = rest[open.upperBound...]
            guard let first = after.first, first == ">" || first == " " || first == "\n" || first == "\t" else {
                rest = after
                continue
            }
            let close = after.firstIndex(of: ">") ?? after.endIndex
            tags.append(String(rest[open.lowerBound..<close]) + ">")
            rest = after[close...]
        }
        return tags
    }
}
