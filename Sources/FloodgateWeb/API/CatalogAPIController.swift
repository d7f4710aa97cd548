import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird

/// `GET /api/v1/stores`, and a store's products and delivery windows.
struct CatalogAPIController: Sendable {
    let stores: any StoreRepository
    let catalog: any CatalogRepository
    let windows: any DeliveryWindowRepository
    let tours: any TourRepository
    let waitlists: any WaitlistRepository

    init(_ repositories: Repositories) {
        self.stores = repositories.stores
        self.catalog = repositories.catalog
        self.windows = repositories.windows
        self.tours = repositories.tours
        self.waitlists = repositories.waitlists
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>, store: RouterGroup<AppRequestContext>) {
        api.get("stores", use: self.listStores)
        store.get("products", use: self.listProducts)
        store.get("products/:id", use: self.showProduct)
        store.get("delivery-windows", use: self.listWindows)
        store.get("zones", use: self.listZones)
        store.post("delivery-windows/:id/waitlist", use: self.joinWaitlist)
    }

    @Sendable func listStores(_ request: Request, context: AppRequestContext) async throws -> [StoreDocument] {
        try await self.stores.all().map(StoreDocument.init)
    }

    @Sendable func listProducts(_ request: Request, context: AppRequestContext) async throws -> [ProductDocument] {
        let store = try context.requireStore()
        return try await self.catalog.products(storeID: store.id).map(ProductDocument.init)
    }

    @Sendable func showProduct(_ request: Request, context: AppRequestContext) async throws -> ProductDocument {
        let store = try context.requireStore()
        let id = try context.id("id", "product")
        guard let product = try await self.catalog.product(storeID: store.id, id: id) else {
            throw Problem.notFound("There is no product \(id) in \(store.name).")
        }
        return ProductDocument(product)
    }

    /// `?postcode=` keeps the tours that deliver there.
    @Sendable func listWindows(_ request: Request, context: AppRequestContext) async throws -> [DeliveryWindowDocument]
    {
        let store = try context.requireStore()
        var windows = try await self.windows.open(for: store)
        if let postcode = request.uri.queryParameters.get("postcode") {
            let zone = try await self.tours.zones(storeID: store.id).zone(for: postcode)
            windows = windows.filter { $0.serves(zone: zone?.id) }
        }
        return windows.map(DeliveryWindowDocument.init)
    }

    @Sendable func listZones(_ request: Request, context: AppRequestContext) async throws -> [ZoneDocument] {
        let store = try context.requireStore()
        return try await self.tours.zones(storeID: store.id).map(ZoneDocument.init)
    }

    /// Joins a full tour's waiting list: `201` once the address is in line, the link on its way to it by email
    /// (the same answer when it already was: the entry's link and token are never in the answer); `409` while the
    /// tour has places.
    @Sendable func joinWaitlist(
        _ request: Request, context: AppRequestContext
    ) async throws -> EditedResponse<WaitlistJoinDocument> {
        let store = try context.requireStore()
        let id = try context.id("id", "delivery window")
        let body = try await request.body.collect(upTo: 64 * 1024)
        let draft = try OrderBodyDecoder.decode(WaitlistRequest.Draft.self, Data(buffer: body))
        do {
            let joining = try draft.validated(windowID: id)
            try await self.waitlists.join(joining, store: store)
            return EditedResponse(status: .created, response: WaitlistJoinDocument(windowID: id, email: joining.email))
        } catch let error as WaitlistError {
            switch error {
            case .tourNotFound: throw Problem.notFound("There is no delivery window \(id) in \(store.name).")
            case .placesLeft(let left):
                throw Problem(
                    "places-left", status: .conflict, title: "The delivery window has places",
                    detail: "\(left) places are free: order instead of waiting."
                )
            case .tourClosed:
                throw Problem(
                    "window-closed", status: .conflict, title: "The delivery window is closed",
                    detail: "It takes no more orders.")
            }
        }
    }
}
