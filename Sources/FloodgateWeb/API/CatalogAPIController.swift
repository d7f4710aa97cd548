import FloodgateCore
import FloodgateStore
import Hummingbird

/// `GET /api/v1/stores`, and a store's products and delivery windows.
struct CatalogAPIController: Sendable {
    let stores: any StoreRepository
    let catalog: any CatalogRepository
    let windows: any DeliveryWindowRepository

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("stores", use: self.listStores)
        let store = api.group("stores/:store")
        store.get("products", use: self.listProducts)
        store.get("products/:id", use: self.showProduct)
        store.get("delivery-windows", use: self.listWindows)
    }

    @Sendable func listStores(_ request: Request, context: AppRequestContext) async throws -> [StoreDocument] {
        try await self.stores.all().map(StoreDocument.init)
    }

    @Sendable func listProducts(_ request: Request, context: AppRequestContext) async throws -> [ProductDocument] {
        let store = try await StoreLookup(stores: self.stores).store(for: context)
        return try await self.catalog.products(storeID: store.id).map(ProductDocument.init)
    }

    @Sendable func showProduct(_ request: Request, context: AppRequestContext) async throws -> ProductDocument {
        let store = try await StoreLookup(stores: self.stores).store(for: context)
        let id = try context.id("id", "product")
        guard let product = try await self.catalog.product(storeID: store.id, id: id) else {
            throw Problem.notFound("There is no product \(id) in \(store.name).")
        }
        return ProductDocument(product)
    }

    @Sendable func listWindows(_ request: Request, context: AppRequestContext) async throws -> [DeliveryWindowDocument] {
        let store = try await StoreLookup(stores: self.stores).store(for: context)
        return try await self.windows.open(for: store).map(DeliveryWindowDocument.init)
    }
}
