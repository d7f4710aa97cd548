import FloodgateTestSupport
import Foundation
import Testing

/// Issue 22: a store's forms are taken only from the shop's own pages; the JSON API stays open to other servers.
@Suite("Storefront posts are same-origin; the back-office says only its own words")
struct SameOriginTests {
    static let form = [("Content-Type", "application/x-www-form-urlencoded")]

    @Test(
        "A cart, checkout or waiting-list post from another site is refused and changes nothing",
        arguments: TestEngine.available)
    func crossSitePostsAreRefused(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let product = try await server.firstAvailableProduct()
            let tour = try await server.firstOpenWindow()
            let ordersBefore = try await server.database.scalar("SELECT COUNT(*) FROM orders")
            let foreign: [[(String, String)]] = [
                [("Sec-Fetch-Site", "cross-site")], [("Sec-Fetch-Site", "same-site")],
                [("Origin", "https://evil.example")],
                [("Origin", "null")], [("Origin", "http://127.0.0.1.evil.example:\(server.port)")],
            ]
            for headers in foreign {
                let add = try await server.request(
                    .POST, "/s/petals/cart/items", headers: Self.form + headers, body: "product=\(product)&quantity=1")
                #expect(add.status == 403 && add.cookies["cart_petals"] == nil, "\(headers): \(add.status)")
                #expect(add.body.contains("another site"), "\(headers)")
                let checkout = try await server.request(
                    .POST, "/s/petals/checkout", headers: Self.form + headers, body: "name=Mallory")
                #expect(checkout.status == 403, "\(headers)")
                let join = try await server.request(
                    .POST, "/s/petals/tours/\(tour)/waitlist", headers: Self.form + headers,
                    body: "name=Mallory&email=m%40example.com&phone=%2B74951002030"
                )
                #expect(join.status == 403, "\(headers)")
            }
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM orders") == ordersBefore)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM waitlist_entries") == 0)
        }
    }

    @Test(
        "The shop's own pages, and clients that send neither header, post as before; the API takes other origins",
        arguments: TestEngine.available)
    func ownPostsGoOn(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let product = try await server.firstAvailableProduct()
            for headers in [
                [], [("Sec-Fetch-Site", "same-origin"), ("Origin", server.baseURL)], [("Origin", server.baseURL)],
            ] {
                let add = try await server.request(
                    .POST, "/s/petals/cart/items", headers: Self.form + headers, body: "product=\(product)&quantity=1")
                #expect(add.status == 303 && add.cookies["cart_petals"] != nil, "\(headers): \(add.status)")
            }
            let order = try await server.request(
                .POST, "/api/v1/stores/petals/orders",
                headers: [
                    ("Content-Type", "application/json"), ("Idempotency-Key", UUID().uuidString),
                    ("Origin", "https://partner.example"),
                ],
                body: try await server.orderBody()
            )
            #expect(order.status == 201)
        }
    }

    @Test(
        "A refused post from another site is not posted again by the waiting room; the shop's own is",
        arguments: TestEngine.available)
    func waitingRoomReplaysOnlyOwnPosts(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.http.admission.trustForwarded = true }) { server in
            let product = try await server.firstAvailableProduct()
            let shed = [("Floodgate-Shed", "3"), ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120")]
            for headers in [[("Sec-Fetch-Site", "cross-site")], [("Origin", "https://evil.example")]] {
                let refused = try await server.request(
                    .POST, "/s/petals/cart/items", headers: Self.form + shed + headers,
                    body: "product=\(product)&quantity=5")
                #expect(refused.status == 503, "\(headers)")
                #expect(
                    !refused.body.contains("action=\"/s/petals/cart/items\"")
                        && !refused.body.contains("name=\"quantity\""), "\(headers)")
            }
            let own = try await server.request(
                .POST, "/s/petals/cart/items", headers: Self.form + shed + [("Sec-Fetch-Site", "same-origin")],
                body: "product=\(product)&quantity=5"
            )
            #expect(own.status == 503 && own.body.contains("action=\"/s/petals/cart/items\""))
        }
    }

    @Test("A back-office notice is one of the shop's own; words in the link are not shown")
    func noticesComeFromAFixedList() async throws {
        try await TestServer.run(.sqlite) { server in
            try await server.addStaff("sasha@shop.example", role: .florist)
            let staff = try await server.signIn("sasha@shop.example")
            let forged = try await staff.get("/admin/petals/orders?done=Call+%2B7+999+000+to+confirm+your+password")
            #expect(
                forged.status == 200 && !forged.body.contains("confirm your password")
                    && !forged.body.contains("class=\"flash\""))
            let known = try await staff.get("/admin/petals/orders?done=status-changed")
            #expect(
                known.body.contains("The order&#39;s status is changed.")
                    || known.body.contains("The order's status is changed."))
        }
    }
}
