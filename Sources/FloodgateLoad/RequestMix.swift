import Foundation
import NIOCore
import NIOHTTP1

/// What a shop's visitors ask for on a busy day: 80 % browsing (product and catalog pages, the catalog
/// API), 15 % cart (the cart page, adding to it), 5 % checkout (an API order with its own key); crawlers
/// on top, reading product pages.
struct RequestMix {
    let host: String
    let store: String
    let products: [Int]
    let windows: [Int]
    private var counter = 0
    private var dice = SplitMix64()

    static let browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"
    static let crawler = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

    init(host: String, store: String, products: [Int], windows: [Int]) {
        self.host = host
        self.store = store
        self.products = products
        self.windows = windows
    }

    /// The class of a human arrival, by the mix's shares (for arrivals counted but not sent).
    mutating func humanClass() -> LoadClass {
        switch Int.random(in: 0..<100, using: &self.dice) {
        case 0..<80: .browse
        case 80..<95: .cart
        default: .checkout
        }
    }

    /// One request of the human mix.
    mutating func human() -> (LoadClass, HTTPRequestHead, ByteBuffer?) {
        self.counter &+= 1
        let product = self.products[self.counter % self.products.count]
        let roll = Int.random(in: 0..<100, using: &self.dice)
        switch roll {
        case 0..<60: return (.browse, self.head(.GET, "/s/\(self.store)/products/\(product)"), nil)
        case 60..<70: return (.browse, self.head(.GET, "/s/\(self.store)/"), nil)
        case 70..<80: return (.browse, self.head(.GET, "/api/v1/stores/\(self.store)/products/\(product)"), nil)
        case 80..<88: return (.cart, self.head(.GET, "/s/\(self.store)/cart", cart: "\(product)x1"), nil)
        case 88..<95:
            let body = ByteBuffer(string: "product=\(product)&quantity=1")
            var head = self.head(.POST, "/s/\(self.store)/cart/items", cart: "\(product)x1")
            head.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            head.headers.add(name: "Content-Length", value: "\(body.readableBytes)")
            return (.cart, head, body)
        default:
            let window = self.windows[self.counter % self.windows.count]
            let json = """
                {"items":[{"product":\(product),"quantity":1}],"customer":{"name":"Load Test","phone":"+7 495 123-45-67","email":"load@example.com"},\
                "recipient":{"name":"Olga Ivanova","phone":"+7 916 555-12-34","address":"Tverskaya 7, flat 12, Moscow"},"deliveryWindow":\(window),"cardMessage":"Load"}
                """
            let body = ByteBuffer(string: json)
            var head = self.head(.POST, "/api/v1/stores/\(self.store)/orders")
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Idempotency-Key", value: UUID().uuidString)
            head.headers.add(name: "Content-Length", value: "\(body.readableBytes)")
            return (.checkout, head, body)
        }
    }

    /// A crawler reading a product page.
    mutating func bot() -> (LoadClass, HTTPRequestHead, ByteBuffer?) {
        self.counter &+= 1
        var head = self.head(.GET, "/s/\(self.store)/products/\(self.products[self.counter % self.products.count])")
        head.headers.replaceOrAdd(name: "User-Agent", value: Self.crawler)
        return (.bot, head, nil)
    }

    private func head(_ method: HTTPMethod, _ uri: String, cart: String? = nil) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        head.headers.add(name: "Host", value: self.host)
        head.headers.add(name: "User-Agent", value: Self.browser)
        if let cart { head.headers.add(name: "Cookie", value: "cart_\(self.store)=\(cart)") }
        return head
    }
}
