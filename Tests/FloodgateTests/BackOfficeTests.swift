import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

@Suite("Back-office: sessions, CSRF, roles, order workflow, catalog import and photos")
struct BackOfficeTests {
    /// Places `count` orders through the API, with different customers; returns their numbers.
    static func placeOrders(
        _ server: TestServer, count: Int, name: (Int) -> String = { "Customer \($0) Petrova" }
    ) async throws -> [String] {
        var numbers: [String] = []
        for index in 0..<count {
            var body = try JSONSerialization.jsonObject(with: Data(try await server.orderBody().utf8)) as! [String: Any]
            body["customer"] = [
                "name": name(index), "phone": "+7 495 100-20-\(30 + index)", "email": "c\(index)@example.com",
            ]
            let placed = try await server.postJSON(
                "/api/v1/stores/petals/orders",
                String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
            try #require(placed.status == 201)
            numbers.append(placed.object["number"] as? String ?? "")
        }
        return numbers
    }

    @Test(
        "Pages need a session, posts need its CSRF token, and the cookie is HttpOnly and SameSite=Strict",
        arguments: TestEngine.available)
    func sessionsAndCSRF(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("sasha@shop.example", role: .florist)
            let number = try await Self.placeOrders(server, count: 1)[0]
            let statusPath = "/admin/petals/orders/\(number)/status"

            let anonymous = try await server.get("/admin/petals/orders?status=new")
            #expect(anonymous.status == 303)
            #expect(anonymous.header("location") == "/admin/login?next=%2Fadmin%2Fpetals%2Forders%3Fstatus%3Dnew")
            #expect(try await server.postForm(statusPath, [("status", "confirmed")]).status == 401)

            // The login form's own token must come back with its cookie.
            let form = try await server.get("/admin/login")
            let forged = try await server.postForm(
                "/admin/login",
                [("csrf", "0123"), ("email", "sasha@shop.example"), ("password", "correct horse battery")],
                cookie: "fg_login=\(form.cookies["fg_login"] ?? "")"
            )
            #expect(forged.status == 403)
            #expect(forged.cookies["fg_staff"] == nil)
            let wrong = try await server.postForm(
                "/admin/login",
                [
                    ("csrf", TestServer.csrf(in: form.body)), ("email", "sasha@shop.example"),
                    ("password", "not the password"),
                ],
                cookie: "fg_login=\(form.cookies["fg_login"] ?? "")"
            )
            #expect(wrong.status == 401)
            #expect(wrong.body.contains("Wrong email or password"))

            let login = try await server.get("/admin/login")
            let signedIn = try await server.postForm(
                "/admin/login",
                [
                    ("csrf", TestServer.csrf(in: login.body)), ("email", "Sasha@Shop.example"),
                    ("password", "correct horse battery"),
                ],
                cookie: "fg_login=\(login.cookies["fg_login"] ?? "")"
            )
            #expect(signedIn.status == 303)
            let setCookie = signedIn.headers["set-cookie"].first { $0.hasPrefix("fg_staff=") } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(setCookie.contains("Path=/admin"))

            let staff = try await server.signIn("sasha@shop.example")
            #expect(!staff.csrf.isEmpty)
            let page = try await staff.get("/admin/petals/orders")
            #expect(page.status == 200)
            #expect(page.header("cache-control") == "no-store")

            // Without the token, with another token, or marked cross-site by the browser: refused, nothing changed.
            #expect(try await staff.post(statusPath, [("status", "confirmed")], csrf: "").status == 403)
            #expect(try await staff.post(statusPath, [("status", "confirmed")], csrf: "deadbeefdeadbeef").status == 403)
            #expect(
                try await staff.post(statusPath, [("status", "confirmed")], headers: [("Sec-Fetch-Site", "cross-site")])
                    .status == 403)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM orders WHERE status = 'new'") == 1)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM order_events") == 0)

            let changed = try await staff.post(statusPath, [("status", "confirmed"), ("from", "new")])
            #expect(changed.status == 303)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM orders WHERE status = 'confirmed'") == 1)
            let detail = try await staff.get("/admin/petals/orders/\(number)")
            #expect(detail.body.contains("new → <strong>confirmed</strong> by Florist sas"))

            // Signed out: the old cookie opens nothing.
            #expect(try await staff.post("/admin/logout", []).status == 303)
            #expect(try await staff.get("/admin/petals/orders").status == 303)
        }
    }

    /// One sign-in post from the client at `address` (the shop trusts X-Forwarded-For in these tests).
    static func signInAttempt(
        _ server: TestServer, email: String, password: String, from address: String, form: TestResponse? = nil
    ) async throws -> TestResponse {
        let form =
            if let form { form } else { try await server.get("/admin/login", headers: [("X-Forwarded-For", address)]) }
        let fields = [("csrf", TestServer.csrf(in: form.body)), ("email", email), ("password", password)]
        return try await server.request(
            .POST, "/admin/login",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", "fg_login=\(form.cookies["fg_login"] ?? "")"),
                ("X-Forwarded-For", address),
            ],
            body: fields.map { "\(TestServer.formEncode($0.0))=\(TestServer.formEncode($0.1))" }.joined(separator: "&")
        )
    }

    @Test(
        "Five failed sign-ins make that client wait, even with the right password; the owner still signs in from another",
        arguments: TestEngine.available)
    func loginThrottle(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.http.admission.trustForwarded = true }) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            for _ in 0..<5 {
                let answer = try await Self.signInAttempt(
                    server, email: "olga@shop.example", password: "guess", from: "203.0.113.9")
                #expect(answer.status == 401)
            }
            // Past the free five each failure doubles the wait (1 s, 2 s, 4 s…): guess on, waiting each out, until the
            // wait is long enough that no busy machine's slowness can let the next try through by itself.
            var wait = 0
            for _ in 0..<12 where wait < 8 {
                let answer = try await Self.signInAttempt(
                    server, email: "olga@shop.example", password: "guess", from: "203.0.113.9")
                #expect([401, 429].contains(answer.status))
                if answer.status == 429 {
                    wait = Int(answer.header("Retry-After") ?? "") ?? 0
                    #expect(wait >= 1)
                    if wait < 8 { try await Task.sleep(for: .seconds(wait)) }
                }
            }
            #expect(wait >= 8)
            let answer = try await Self.signInAttempt(
                server, email: "olga@shop.example", password: "correct horse battery", from: "203.0.113.9")
            #expect(answer.status == 429)
            #expect(Int(answer.header("Retry-After") ?? "") ?? 0 >= 1)
            #expect(answer.body.contains("Too many sign-in attempts"))
            #expect(answer.cookies["fg_staff"] == nil)
            let owner = try await Self.signInAttempt(
                server, email: "olga@shop.example", password: "correct horse battery", from: "192.0.2.44")
            #expect(
                owner.status == 303 && owner.cookies["fg_staff"] != nil, "the owner, from a client that has not failed")
        }
    }

    @Test("A parallel burst of guesses gets no more tries than guesses one by one")
    func parallelGuessesAreCountedFirst() async throws {
        try await TestServer.run(.sqlite, configure: { $0.http.admission.trustForwarded = true }) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            // The forms first, so that the twelve posts arrive together.
            var forms: [TestResponse] = []
            for _ in 0..<12 {
                forms.append(try await server.get("/admin/login", headers: [("X-Forwarded-For", "203.0.113.10")]))
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for form in forms {
                    group.addTask {
                        try await Self.signInAttempt(
                            server, email: "olga@shop.example", password: "guess", from: "203.0.113.10", form: form
                        ).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count <= 5, "\(statuses)")
            #expect(statuses.allSatisfy { [401, 429].contains($0) }, "\(statuses)")
        }
    }

    @Test("Staff cannot reach owner pages; owners can", arguments: TestEngine.available)
    func rolesSeparateOwnerPages(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("sasha@shop.example", role: .florist)
            try await server.addStaff("olga@shop.example", role: .owner)
            let staff = try await server.signIn("sasha@shop.example")
            let owner = try await server.signIn("olga@shop.example")
            for path in [
                "/admin/petals/products", "/admin/petals/products/1", "/admin/petals/exports",
                "/admin/petals/exports/catalog.csv", "/admin/petals/delivery",
            ] {
                #expect(try await staff.get(path).status == 403, "\(path)")
                #expect(try await owner.get(path).status == 200, "\(path)")
            }
            #expect(
                try await staff.post("/admin/petals/zones", [("id", "0"), ("name", "North"), ("postcodes", "101*")])
                    .status == 403)
            #expect(
                try await staff.post("/admin/petals/products/1", [("name", "Hacked"), ("price", "1")]).status == 403)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM zones WHERE store_id = 1") == 0)
            #expect(
                try await owner.post(
                    "/admin/petals/zones",
                    [("id", "0"), ("name", "North"), ("postcodes", "101*, 125000"), ("fee", "300")]
                ).status == 303)
            #expect(try await server.database.scalar("SELECT fee FROM zones WHERE store_id = 1") == 30_000)
            // Pages both roles work with.
            for path in ["/admin/petals/", "/admin/petals/orders", "/admin/petals/tours"] {
                #expect(try await staff.get(path).status == 200, "\(path)")
            }
            #expect(
                !(try await staff.get("/admin/petals/").body.contains("/admin/petals/products")),
                "staff are not shown owner links")
        }
    }

    @Test("The order list filters by status, day, tour and search, a page at a time", arguments: TestEngine.available)
    func orderListFilters(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("sasha@shop.example", role: .florist)
            let numbers = try await Self.placeOrders(server, count: 7)
            let staff = try await server.signIn("sasha@shop.example")
            func rows(_ query: String) async throws -> Int {
                try await staff.get("/admin/petals/orders?\(query)").body.components(separatedBy: "<tr data-status")
                    .count - 1
            }
            #expect(try await rows("") == 7)
            #expect(try await rows("q=\(numbers[2])") == 1)
            #expect(try await rows("q=100-20-34") == 1, "phone digits, however formatted")
            #expect(try await rows("q=customer+5") == 1, "a name, in any letter case")
            #expect(try await rows("q=petrova") == 7)
            #expect(try await rows("status=confirmed") == 0)
            let window = try await server.firstOpenWindow()
            #expect(try await rows("tour=\(window)") == 7)
            #expect(try await staff.get("/admin/petals/orders?date=14-02-2026").status == 400)

            // Keyset pages: newest first, no order twice, none left out.
            let admin = SQLOrderAdminRepository(database: server.database)
            var seen: [Int] = []
            var cursor: Int?
            repeat {
                let page = try await admin.list(OrderFilter(storeID: 1, before: cursor, limit: 3))
                seen += page.orders.map(\.id)
                cursor = page.next
            } while cursor != nil
            #expect(seen == seen.sorted(by: >))
            #expect(Set(seen).count == 7)

            // Names that begin alike: one word, several tokens, whose orders interleave.
            let names = [
                "Marina Smith", "Marianna Smith", "Marina Jones", "Marianna Smith", "Marina Smith", "Marianna Jones",
            ]
            _ = try await Self.placeOrders(server, count: names.count) { names[$0] }

            // However a search goes — a word's tokens read one by one, all its orders at once, or the orders first
            // with the words checked on them; small batches that end a page early — the answers are the same.
            let ways = [
                SQLOrderAdminRepository.SearchLimits(common: 3, tokens: 64, batch: 2, batches: 1),
                SQLOrderAdminRepository.SearchLimits(common: 3, tokens: 64, batch: 2, batches: 20),
                SQLOrderAdminRepository.SearchLimits(common: 100, tokens: 0, batch: 3, batches: 2),
                SQLOrderAdminRepository.SearchLimits(common: 3, tokens: 0, batch: 2, batches: 3),
            ].map { SQLOrderAdminRepository(database: server.database, searchLimits: $0) }
            for (text, count) in [
                ("petrova", 7), ("customer 5 petrova", 1), ("petrova 100-20-33", 1), ("customer zzz", 0), ("cust", 7),
                ("mari", 6), ("mari smith", 4), ("smi mari", 4), ("marianna smith", 2), ("jones mar", 2),
                ("mar 7495", 6),
            ] {
                let expected = try await admin.list(OrderFilter(storeID: 1, text: text)).orders.map(\.id)
                #expect(expected.count == count, "\(text)")
                for (index, way) in ways.enumerated() {
                    for limit in [2, 50] {
                        var seen: [Int] = []
                        var cursor: Int?
                        var pages = 0
                        repeat {
                            let page = try await way.list(
                                OrderFilter(storeID: 1, text: text, before: cursor, limit: limit))
                            seen += page.orders.map(\.id)
                            cursor = page.next
                            pages += 1
                        } while cursor != nil && pages < 30
                        #expect(seen == expected, "\(text), way \(index), \(limit) a page")
                    }
                }
            }
        }
    }

    @Test(
        "A catalog import with a bad row applies nothing and names the row; a good one applies all",
        arguments: TestEngine.available)
    func catalogImport(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            let owner = try await server.signIn("olga@shop.example")
            let export = try await owner.get("/admin/petals/exports/catalog.csv")
            #expect(export.status == 200)
            #expect(export.header("content-type")?.hasPrefix("text/csv") == true)
            var lines = export.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines[0] == "id,name,description,price,available,composition,photos")
            let before = try await server.database.scalar(
                "SELECT CAST(SUM(price) AS BIGINT) FROM products WHERE store_id = 1")
            let count = try await server.database.scalar("SELECT COUNT(*) FROM products WHERE store_id = 1")

            // Line 2 gets a new price (fine); line 4 a price nobody can read; a new product at the end.
            var first = try CSV.parse(lines[1])[0].fields
            first[3] = "9999.00"
            lines[1] = CSV.line(first).trimmingCharacters(in: .newlines)
            var third = try CSV.parse(lines[3])[0].fields
            third[3] = "cheap"
            lines[3] = CSV.line(third).trimmingCharacters(in: .newlines)
            lines.append(",Spring tulips,Twenty-five tulips,3500,yes,Tulip|yellow|25,")
            let bad = try await owner.upload(
                "/admin/petals/exports/catalog", field: "file", filename: "catalog.csv", type: "text/csv",
                bytes: Array(lines.joined(separator: "\r\n").utf8))
            #expect(bad.status == 422)
            #expect(bad.body.contains("Line 4, price"))
            #expect(
                try await server.database.scalar("SELECT CAST(SUM(price) AS BIGINT) FROM products WHERE store_id = 1")
                    == before)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM products WHERE store_id = 1") == count)

            lines[3] = CSV.line(
                {
                    var fields = third
                    fields[3] = "4100.50"
                    return fields
                }()
            ).trimmingCharacters(in: .newlines)
            let good = try await owner.upload(
                "/admin/petals/exports/catalog", field: "file", filename: "catalog.csv", type: "text/csv",
                bytes: Array(lines.joined(separator: "\r\n").utf8))
            #expect(good.status == 303, "\(good.body.prefix(2000))")
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM products WHERE store_id = 1") == count + 1)
            let id = Int(first[0])!
            #expect(try await server.database.scalar("SELECT price FROM products WHERE id = \(id)") == 999_900)
            // The storefront shows it at once (the rendered pages were dropped).
            let api = try await server.get("/api/v1/stores/petals/products/\(id)")
            #expect(api.object["price"] as? Int == 999_900)
            #expect(
                try await server.get("/s/petals/", headers: [("User-Agent", "Mozilla/5.0")]).body.contains(
                    "Spring tulips"))

            // Unknown ids and a broken file are named too.
            let unknown = try await owner.upload(
                "/admin/petals/exports/catalog", field: "file", filename: "c.csv", type: "text/csv",
                bytes: Array("id,name,description,price,available,composition,photos\r\n999999,X,,10,yes,,\r\n".utf8)
            )
            #expect(unknown.status == 422)
            #expect(unknown.body.contains("Line 2, id"))
        }
    }

    @Test(
        "A photo upload is checked by its bytes and served with cache headers; other files are refused",
        arguments: TestEngine.available)
    func photoUpload(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            let owner = try await server.signIn("olga@shop.example")
            // A 1×1 PNG.
            let png = StaffBrowser.onePixelPNG
            let refused = try await owner.upload(
                "/admin/petals/products/1/photo", field: "photo", filename: "rose.jpg", type: "image/jpeg",
                bytes: Array("<?php echo 1; ?>".utf8))
            #expect(refused.status == 422)
            #expect(refused.body.contains("Upload a JPEG, PNG or WebP photo"))
            let uploaded = try await owner.upload(
                "/admin/petals/products/1/photo", field: "photo", filename: "rose.png", type: "image/png", bytes: png)
            #expect(uploaded.status == 303)
            let product = try await server.get("/api/v1/stores/petals/products/1").object
            let path = try #require((product["photos"] as? [String])?.first)
            #expect(path.hasPrefix("/photos/petals/1-") && path.hasSuffix(".png"))
            let served = try await server.get(path)
            #expect(served.status == 200)
            #expect(Array(served.body.utf8).count > 0)
            #expect(served.header("cache-control")?.contains("max-age=604800") == true)
            // Without the session's token, nothing is written.
            let files = try FileManager.default.contentsOfDirectory(atPath: server.dataDirectory + "/photos/petals")
                .count
            let forged = StaffBrowser(server: server, cookie: owner.cookie, csrf: "forged")
            #expect(
                try await forged.upload(
                    "/admin/petals/products/1/photo", field: "photo", filename: "x.png", type: "image/png", bytes: png
                ).status == 403)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: server.dataDirectory + "/photos/petals").count
                    == files)
        }
    }
}
