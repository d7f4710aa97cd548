import FloodgateCore

/// A cart line as shown on the cart and checkout pages.
struct CartLineView {
    var productID: Int
    var name: String
    var photo: String
    var url: String
    var unitPrice: String
    var quantity: Int
    var lineTotal: String
    var available: Bool
}

/// The cart with its current prices.
struct PricedCart {
    var lines: [CartLineView]
    var total: Money
    var hasUnavailable: Bool

    init(cart: Cart, products: [Product], store: Store) {
        let byID = Dictionary(uniqueKeysWithValues: products.map { ($0.id, $0) })
        var total = Money(minorUnits: 0, currency: store.currency)
        var lines: [CartLineView] = []
        for line in cart.lines {
            guard let product = byID[line.productID] else { continue }
            let lineTotal = product.price.times(line.quantity)
            if product.available { total.minorUnits += lineTotal.minorUnits }
            lines.append(
                CartLineView(
                    productID: product.id, name: product.name, photo: product.photos.first ?? "/static/no-photo.svg",
                    url: "/s/\(store.slug)/products/\(product.id)", unitPrice: product.price.formatted,
                    quantity: line.quantity,
                    lineTotal: lineTotal.formatted, available: product.available
                )
            )
        }
        self.lines = lines
        self.total = total
        self.hasUnavailable = lines.contains { !$0.available }
    }
}

/// `/s/{store}/cart`
struct CartPage: PageModel {
    static let template = "cart"
    var chrome: Chrome
    var lines: [CartLineView]
    var total: String
    var isEmpty: Bool
    var hasUnavailable: Bool
    var messages: [String]
    var updateURL: String
    var removeURL: String
    var checkoutURL: String
    var catalogURL: String

    init(store: Store, priced: PricedCart, cartCount: Int, messages: [String] = []) {
        self.chrome = Chrome(title: "Your cart — \(store.name)", store: store, cartCount: cartCount)
        self.lines = priced.lines
        self.total = priced.total.formatted
        self.isEmpty = priced.lines.isEmpty
        self.hasUnavailable = priced.hasUnavailable
        self.messages = messages
        self.updateURL = "/s/\(store.slug)/cart"
        self.removeURL = "/s/\(store.slug)/cart/remove"
        self.checkoutURL = "/s/\(store.slug)/checkout"
        self.catalogURL = "/s/\(store.slug)/"
    }
}
