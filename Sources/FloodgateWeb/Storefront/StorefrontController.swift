import FloodgateCore
import FloodgateStore
import Hummingbird

/// The shop window: `/` lists the stores, `/s/{store}/` the catalog, `/s/{store}/products/{id}` one product.
struct StorefrontController: Sendable {
    let stores: any StoreRepository
    let catalog: any CatalogRepository
    let windows: any DeliveryWindowRepository
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: self.home)
        router.get("s/:store/", use: self.catalogPage)
        router.get("s/:store/products/:id", use: self.productPage)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.views.render(HomePage(stores: try await self.stores.all()))
    }

    @Sendable func catalogPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try await StoreLookup(stores: self.stores).store(for: context)
        async let products = self.catalog.products(storeID: store.id)
        async let windows = self.windows.open(for: store)
        let next = try await windows.first { $0.remaining > 0 }
        let shown = try await products
        return self.views.renderShared(key: CatalogKey(store: store, products: shown, next: next.map(WindowLabel.long)), cartCount: CartCookie.read(request, store: store).itemCount) {
            CatalogPage(store: store, products: shown, cartCount: nil, nextWindow: next)
        }
    }

    @Sendable func productPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try await StoreLookup(stores: self.stores).store(for: context)
        let id = try context.id("id", "product")
        guard let product = try await self.catalog.product(storeID: store.id, id: id) else {
            throw Problem.notFound("There is no product \(id) in \(store.name).")
        }
        return self.views.renderShared(key: ProductKey(store: store, product: product), cartCount: CartCookie.read(request, store: store).itemCount) {
            ProductPage(store: store, product: product, cartCount: nil)
        }
    }
}

/// Everything a catalog page is drawn from.
private struct CatalogKey: Hashable, Sendable {
    let store: Store
    let products: [Product]
    /// The label only: the window's live reservation count is not on the page.
    let next: String?
}

/// Everything a product page is drawn from.
private struct ProductKey: Hashable, Sendable {
    let store: Store
    let product: Product
}
