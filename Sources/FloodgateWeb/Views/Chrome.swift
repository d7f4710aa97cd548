import FloodgateCore

/// What every page's header and footer show.
struct Chrome {
    var title: String
    var storeName: String
    var storeURL: String
    var tagline: String
    var cartURL: String
    /// The cart badge as HTML: empty for an empty cart; a marker on memoised pages, filled in per visitor.
    var cartBadge: String
    var inStore: Bool

    /// Stands for the visitor's cart badge in a page rendered once for everyone.
    static let cartBadgeMarker = "<!--floodgate:cart-badge-->"

    static func cartBadge(_ count: Int) -> String {
        count > 0 ? #"<span class="badge" data-testid="cart-count">\#(count)</span>"# : ""
    }

    /// `cartCount: nil` draws the marker instead of a badge (see ``Views/cachedPage(_:request:cartCount:render:)``).
    init(title: String, store: Store? = nil, cartCount: Int? = 0) {
        self.title = title
        self.storeName = store?.name ?? "Floodgate"
        self.storeURL = store.map { "/s/\($0.slug)/" } ?? "/"
        self.tagline = store?.tagline ?? ""
        self.cartURL = store.map { "/s/\($0.slug)/cart" } ?? "/"
        self.cartBadge = cartCount.map(Self.cartBadge) ?? Self.cartBadgeMarker
        self.inStore = store != nil
    }
}

struct ErrorPage: PageModel {
    static let template = "error"
    var chrome: Chrome
    var status: Int
    var title: String
    var detail: String

    init(problem: Problem) {
        self.chrome = Chrome(title: problem.title)
        self.status = problem.status
        self.title = problem.title
        self.detail = problem.detail
    }
}
