import FloodgateCore
import FloodgateStore
import Hummingbird

/// The shop window: `/` lists the stores, `/s/{store}/` the catalog, `/s/{store}/products/{id}` one product.
struct StorefrontController: Sendable {
    let stores: any StoreRepository
    let catalog: any CatalogRepository
    let windows: any DeliveryWindowRepository
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>, store: RouterGroup<AppRequestContext>) {
        router.get("/", use: self.home)
        store.get("", use: self.catalogPage)
        store.get("products/:id", use: self.productPage)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.views.render(HomePage(stores: try await self.stores.all()))
    }

    @Sendable func catalogPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let (catalog, windows) = (self.catalog, self.windows)
        return try await self.views.cachedPage(
            PageCache.Key(store: store.slug, page: "catalog"), request: request,
            cartCount: CartCookie.read(request, store: store).itemCount
        ) {
            async let products = catalog.products(storeID: store.id)
            async let open = windows.open(for: store)
            let next = try await open.first { $0.remaining > 0 }
            return CatalogPage(store: store, products: try await products, cartCount: nil, nextWindow: next)
        }
    }

    @Sendable func productPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let id = try context.id("id", "product")
        let catalog = self.catalog
        return try await self.views.cachedPage(
            PageCache.Key(store: store.slug, page: "product/\(id)"), request: request,
            cartCount: CartCookie.read(request, store: store).itemCount
        ) {
            guard let product = try await catalog.product(storeID: store.id, id: id) else {
                throw Problem.notFound("There is no product \(id) in \(store.name).")
            }
            return ProductPage(store: store, product: product, cartCount: nil)
        }
    }
}
