import FloodgateCore

/// What every page's header and footer show.
struct Chrome {
    var title: String
    var storeName: String
    var storeURL: String
    var tagline: String
    var cartURL: String
    var cartCount: Int
    var hasCartItems: Bool
    var inStore: Bool

    init(title: String, store: Store? = nil, cartCount: Int = 0) {
        self.title = title
        self.storeName = store?.name ?? "Floodgate"
        self.storeURL = store.map { "/s/\($0.slug)/" } ?? "/"
        self.tagline = store?.tagline ?? ""
        self.cartURL = store.map { "/s/\($0.slug)/cart" } ?? "/"
        self.cartCount = cartCount
        self.hasCartItems = cartCount > 0
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
