import FloodgateCore

/// `/`: the stores of this deployment.
struct HomePage: PageModel {
    static let template = "home"
    struct StoreCard {
        var name: String
        var tagline: String
        var url: String
        var currency: String
    }
    var chrome = Chrome(title: "Floodgate shops")
    var stores: [StoreCard]

    init(stores: [Store]) {
        self.stores = stores.map {
            StoreCard(name: $0.name, tagline: $0.tagline, url: "/s/\($0.slug)/", currency: $0.currency)
        }
    }
}

/// A product as a card in the grid or on its own page.
struct ProductCard {
    var id: Int
    var name: String
    var description: String
    var price: String
    var photo: String
    var photos: [String]
    /// Thumbnails are shown only when there is more than one photo.
    var hasSeveralPhotos: Bool
    var url: String
    var available: Bool
    var composition: [CompositionLine]

    init(_ product: Product, store: Store) {
        self.id = product.id
        self.name = product.name
        self.description = product.description
        self.price = product.price.formatted
        self.photo = product.photos.first ?? "/static/no-photo.svg"
        self.photos = product.photos
        self.hasSeveralPhotos = product.photos.count > 1
        self.url = "/s/\(store.slug)/products/\(product.id)"
        self.available = product.available
        self.composition = product.composition
    }
}

/// `/s/{store}/`: the catalog grid.
struct CatalogPage: PageModel {
    static let template = "catalog"
    var chrome: Chrome
    var products: [ProductCard]
    var nextWindow: String
    var hasNextWindow: Bool

    init(store: Store, products: [Product], cartCount: Int?, nextWindow: DeliveryWindow?) {
        self.chrome = Chrome(title: store.name, store: store, cartCount: cartCount)
        self.products = products.map { ProductCard($0, store: store) }
        self.nextWindow = nextWindow.map(WindowLabel.long) ?? ""
        self.hasNextWindow = nextWindow != nil
    }
}

/// `/s/{store}/products/{id}`: one product with its composition and the add-to-cart form.
struct ProductPage: PageModel {
    static let template = "product"
    var chrome: Chrome
    var product: ProductCard
    var addURL: String
    var quantities: [Int] = Array(1...10)

    init(store: Store, product: Product, cartCount: Int?) {
        self.chrome = Chrome(title: "\(product.name) — \(store.name)", store: store, cartCount: cartCount)
        self.product = ProductCard(product, store: store)
        self.addURL = "/s/\(store.slug)/cart/items"
    }
}

/// How delivery windows read on the storefront.
enum WindowLabel {
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sat 14 Feb`
    static func day(_ date: String) -> String {
        guard let civil = CivilDate(date) else { return date }
        let (_, month, day) = civil.components
        return "\(Self.weekdays[civil.weekday - 1]) \(day) \(Self.months[month - 1])"
    }

    /// `Sat 14 Feb, 09:00–12:00`
    static func long(_ window: DeliveryWindow) -> String {
        "\(Self.day(window.date)), \(window.from)–\(window.to)"
    }

    static func long(_ window: WindowSnapshot) -> String {
        "\(Self.day(window.date)), \(window.from)–\(window.to)"
    }
}
