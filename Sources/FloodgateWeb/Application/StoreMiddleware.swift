import FloodgateCore
import FloodgateStore
import Hummingbird

/// A request context that carries the store its path names (`/s/{store}/…`, `/api/v1/stores/{store}/…`,
/// `/admin/{store}/…`), found once by ``StoreMiddleware`` on the route group.
protocol StoreRequestContext: RequestContext {
    var store: Store? { get set }
}

extension StoreRequestContext {
    /// The store this request is for. Only routes on a group with ``StoreMiddleware`` ask for it; anywhere else it
    /// is a wiring mistake, answered 500 rather than served for no store.
    func requireStore() throws -> Store {
        guard let store = self.store else {
            throw HTTPError(.internalServerError, message: "This route is not on a store's group.")
        }
        return store
    }
}

/// Finds the store the group's `:store` parameter names and puts it in the context, once per request: an unknown
/// store is a 404 before any handler runs.
struct StoreMiddleware<Context: StoreRequestContext>: RouterMiddleware {
    let stores: any StoreRepository

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let slug = context.parameters.get("store") ?? ""
        guard let store = try await self.stores.find(slug: slug) else {
            throw Problem.notFound("There is no store called '\(slug)'.")
        }
        var context = context
        context.store = store
        return try await next(request, context)
    }
}
