import FloodgateTestSupport
import Foundation
import Testing

@Suite("The storefront through its HTML forms")
struct StorefrontTests {
    /// Pulls `name="field" value="…"` out of a page.
    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func firstWindowRadio(in html: String) -> String? {
        self.hiddenValue("window", in: html)
    }

    @Test("Browse, add to cart, change it, check out and see the confirmation", arguments: TestEngine.available)
    func purchaseThroughForms(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let home = try await server.get("/")
            #expect(home.status == 200)
            #expect(home.body.contains("/s/petals/") && home.body.contains("/s/greenbox/"))

            let catalog = try await server.get("/s/petals/")
            #expect(catalog.status == 200)
            #expect(catalog.header("content-type")?.hasPrefix("text/html") == true)
            #expect(catalog.body.contains("Valentine&#39;s 25 Red Roses"))
            #expect(catalog.body.contains("Sold out"))

            let product = try await server.firstAvailableProduct()
            let page = try await server.get("/s/petals/products/\(product)")
            #expect(page.body.contains("Red rose") && page.body.contains("× 25"))

            let added = try await server.postForm(
                "/s/petals/cart/items", [("product", "\(product)"), ("quantity", "2")])
            #expect(added.status == 303)
            #expect(added.header("location") == "/s/petals/cart")
            var cookie = "cart_petals=\(try #require(added.cookies["cart_petals"]))"
            #expect(cookie == "cart_petals=\(product)x2")

            let second = try await server.postForm(
                "/s/petals/cart/items", [("product", "\(product + 1)"), ("quantity", "1")], cookie: cookie)
            cookie = "cart_petals=\(try #require(second.cookies["cart_petals"]))"
            let updated = try await server.postForm(
                "/s/petals/cart", [("quantity_\(product)", "3"), ("quantity_\(product + 1)", "0")], cookie: cookie
            )
            cookie = "cart_petals=\(try #require(updated.cookies["cart_petals"]))"
            #expect(cookie == "cart_petals=\(product)x3")
            let cart = try await server.get("/s/petals/cart", headers: [("Cookie", cookie)])
            #expect(cart.body.contains("value=\"3\""))
            #expect(cart.body.contains("data-testid=\"cart-count\">3<"))

            let form = try await server.get("/s/petals/checkout", headers: [("Cookie", cookie)])
            #expect(form.status == 200)
            let key = try #require(Self.hiddenValue("idempotency_key", in: form.body))
            let items = try #require(Self.hiddenValue("items", in: form.body))
            let window = try #require(Self.firstWindowRadio(in: form.body))
            let fields = [
                ("items", items), ("idempotency_key", key), ("customer_name", "Anna Petrova"),
                ("customer_phone", "+7 495 123-45-67"),
                ("customer_email", "anna@example.com"), ("recipient_name", "Olga"),
                ("recipient_phone", "+7 916 555-12-34"),
                ("address", "Tverskaya 7, flat 12\nentrance 2"), ("window", window),
                ("card_message", "Happy birthday, Olga! <3"),
            ]
            let placed = try await server.postForm("/s/petals/checkout", fields, cookie: cookie)
            #expect(placed.status == 303)
            let location = try #require(placed.header("location"))
            #expect(location.hasPrefix("/s/petals/orders/PE-"))
            #expect(placed.cookies["cart_petals"] == "", "the cart is emptied once the order is placed")

            // Pressing "Place order" again sends the same form: same order, no second one.
            let again = try await server.postForm("/s/petals/checkout", fields, cookie: cookie)
            #expect(again.status == 303)
            #expect(again.header("location") == location)
            #expect(try await server.orderCount == 1)

            let confirmation = try await server.get(location)
            #expect(confirmation.status == 200)
            #expect(confirmation.body.contains("Thank you! Your order is placed."))
            #expect(confirmation.body.contains("Happy birthday, Olga! &lt;3"))
            #expect(confirmation.body.contains("× 3"))
        }
    }

    @Test(
        "A checkout with mistakes is shown again with messages, keeps what was typed and writes nothing",
        arguments: TestEngine.available)
    func checkoutMistakesAreShown(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let product = try await server.firstAvailableProduct()
            let fields = [
                ("items", "\(product)x1"), ("idempotency_key", "form-1"), ("customer_name", "Anna"),
                ("customer_phone", "call me"),
                ("customer_email", "anna-at-example"), ("recipient_name", ""), ("recipient_phone", "+7 916 555-12-34"),
                ("address", "Tverskaya 7"), ("card_message", "For you"),
            ]
            let response = try await server.postForm("/s/petals/checkout", fields)
            #expect(response.status == 422)
            #expect(response.body.contains("Please check the highlighted fields."))
            #expect(response.body.contains("Enter a phone number of 7 to 15 digits"))
            #expect(response.body.contains("Enter an email address like name@example.com."))
            #expect(response.body.contains("Enter the recipient&#39;s name."))
            #expect(response.body.contains("Choose a delivery window."))
            #expect(response.body.contains("value=\"anna-at-example\""))
            #expect(response.body.contains(">For you</textarea>"))
            #expect(try await server.orderCount == 0)

            // A window that filled up meanwhile: a 409 page that says so and offers the others.
            let window = try await server.firstOpenWindow()
            try await server.database.execute("UPDATE delivery_windows SET reserved = capacity WHERE id = \(window)")
            let good = [
                ("items", "\(product)x1"), ("idempotency_key", "form-2"), ("customer_name", "Anna"),
                ("customer_phone", "+7 495 123-45-67"),
                ("customer_email", "anna@example.com"), ("recipient_name", "Olga"),
                ("recipient_phone", "+7 916 555-12-34"),
                ("address", "Tverskaya 7"), ("window", "\(window)"),
            ]
            let full = try await server.postForm("/s/petals/checkout", good)
            #expect(full.status == 409)
            #expect(full.body.contains("the last place in that delivery window was just taken"))
            #expect(!full.body.contains("value=\"\(window)\""), "a full window is not offered again")
            #expect(try await server.orderCount == 0)
        }
    }

    @Test("Bad cart input is refused with a message; unknown pages are friendly 404s")
    func badCartInput() async throws {
        try await TestServer.run(.sqlite) { server in
            let product = try await server.firstAvailableProduct()
            let tooMany = try await server.postForm(
                "/s/petals/cart/items", [("product", "\(product)"), ("quantity", "500")])
            #expect(tooMany.status == 422)
            #expect(tooMany.body.contains("Quantity must be between 1 and 99."))
            #expect(tooMany.cookies["cart_petals"] == nil)

            let unknown = try await server.postForm("/s/petals/cart/items", [("product", "424242"), ("quantity", "1")])
            #expect(unknown.status == 422)
            #expect(unknown.body.contains("That product is not in this shop."))

            let cookie = "cart_petals=\(product)x2"
            let bad = try await server.postForm("/s/petals/cart", [("quantity_\(product)", "lots")], cookie: cookie)
            #expect(bad.status == 422)
            #expect(bad.cookies["cart_petals"] == nil, "a refused update leaves the cart as it was")

            let wrongType = try await server.request(
                .POST, "/s/petals/cart/items", headers: [("Content-Type", "application/json")], body: "{}")
            #expect(wrongType.status == 415)

            for path in ["/s/nowhere/", "/s/petals/products/999999", "/s/petals/orders/PE-1?token=x", "/no/such/page"] {
                let missing = try await server.get(path)
                #expect(missing.status == 404, "\(path)")
                #expect(missing.header("content-type")?.hasPrefix("text/html") == true, "\(path)")
                #expect(missing.body.contains("Back to the shops"), "\(path)")
            }

            let empty = try await server.get("/s/petals/checkout")
            #expect(empty.status == 303, "an empty cart has nothing to check out")

            let css = try await server.get("/static/style.css")
            #expect(css.status == 200)
            #expect(css.header("cache-control")?.contains("max-age=86400") == true)
        }
    }
}
