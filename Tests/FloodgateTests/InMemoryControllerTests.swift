import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FloodgateWeb

/// Web's controllers depend on repository protocols only: here the storefront and the cart run over repositories
/// kept in memory, with no database, served by a real server on loopback.
@Suite("Web controllers over in-memory repositories")
struct InMemoryControllerTests {
    static let meadow = Store(
        id: 7, slug: "meadow", name: "Meadow Flowers", tagline: "Picked this morning", currency: "EUR",
        timeZone: "Europe/Berlin",
        orderPrefix: "ME", notifyEmail: "shop@meadow.example"
    )
    static let browser: HTTPFields = [.userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120"]

    static func products() -> [Product] {
        [
            Product(
                id: 1, storeID: 7, name: "Field Peonies", description: "Pink and white.",
                price: Money(minorUnits: 4_500, currency: "EUR"),
                available: true, photos: [], composition: []
            ),
            Product(
                id: 2, storeID: 7, name: "Last Tulips", description: "The season's last.",
                price: Money(minorUnits: 2_000, currency: "EUR"),
                available: false, photos: [], composition: []
            ),
            // Another store's product: never shown in this one.
            Product(
                id: 3, storeID: 8, name: "Foreign Lilies", description: "Not ours.",
                price: Money(minorUnits: 1_000, currency: "EUR"),
                available: true, photos: [], composition: []
            ),
        ]
    }

    /// The storefront's and the cart's routes, on the store group with its ``StoreMiddleware``, as the shop wires them.
    static func application(catalog: InMemoryCatalog) async throws -> some ApplicationProtocol {
        let views = try await Views.load(pageTTL: .zero)
        let stores = InMemoryStores([Self.meadow])
        let router = Router(context: AppRequestContext.self)
        // As the shop answers errors: problem+json or an error page.
        let waitingRoom = WaitingRoom(
            stores: stores, windows: InMemoryWindows([]), views: views,
            sameOrigin: SameOriginPosts(publicURL: "http://127.0.0.1"))
        router.add(middleware: ErrorMiddleware(views: views, waitingRoom: waitingRoom))
        let store = router.group("s/:store").add(middleware: StoreMiddleware<AppRequestContext>(stores: stores))
        StorefrontController(stores: stores, catalog: catalog, windows: InMemoryWindows([]), views: views).addRoutes(
            to: router, store: store)
        CartController(catalog: catalog, views: views).addRoutes(to: store)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("The catalog and product pages show the store's own products, and a sold-out one as sold out")
    func pages() async throws {
        try await Self.application(catalog: InMemoryCatalog(Self.products())).test(.live) { client in
            try await client.execute(uri: "/s/meadow/", method: .get, headers: Self.browser) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(
                    page.contains("Meadow Flowers") && page.contains("Field Peonies") && page.contains("Last Tulips"))
                #expect(!page.contains("Foreign Lilies"))
            }
            try await client.execute(uri: "/s/meadow/products/2", method: .get, headers: Self.browser) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("This one is sold out for now."))
            }
            try await client.execute(uri: "/s/meadow/products/3", method: .get, headers: Self.browser) { response in
                #expect(response.status == .notFound, "another store's product is not found here")
            }
            try await client.execute(uri: "/s/nowhere/", method: .get, headers: Self.browser) { response in
                #expect(
                    response.status == .notFound, "an unknown store is refused by the store group before any handler")
            }
        }
    }

    @Test("A change to the repository is what the next page shows")
    func changes() async throws {
        let catalog = InMemoryCatalog(Self.products())
        try await Self.application(catalog: catalog).test(.live) { client in
            _ = try await catalog.update(storeID: 7, id: 2, change: ProductChange(available: true), by: .system)
            try await client.execute(uri: "/s/meadow/products/2", method: .get, headers: Self.browser) { response in
                #expect(response.status == .ok)
                #expect(!String(buffer: response.body).contains("sold out"))
            }
        }
    }

    @Test("Adding a sold-out product to the cart is refused with the reason, and sets no cart")
    func soldOutCart() async throws {
        var headers = Self.browser
        headers[.contentType] = "application/x-www-form-urlencoded"
        let form = headers
        try await Self.application(catalog: InMemoryCatalog(Self.products())).test(.live) { client in
            try await client.execute(
                uri: "/s/meadow/cart/items", method: .post, headers: form,
                body: ByteBuffer(string: "product=2&quantity=1")
            ) {
                response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("Last Tulips cannot be ordered at the moment."))
                #expect(response.headers[.setCookie] == nil)
            }
            try await client.execute(
                uri: "/s/meadow/cart/items", method: .post, headers: form,
                body: ByteBuffer(string: "product=1&quantity=2")
            ) {
                response in
                #expect(response.status == .seeOther || response.status == .found || response.status == .ok)
                #expect(response.headers[.setCookie]?.contains("cart_") == true)
            }
        }
    }
}
