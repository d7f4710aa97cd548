import FloodgateCore
import FloodgateStore
import Hummingbird

/// Stands on `/admin/{store}` after ``StoreMiddleware``: a person with no live grant for this store is refused
/// (403) before any handler; one with a grant carries it in the context for ``Requires`` and the handlers.
struct StoreAccess: RouterMiddleware {
    typealias Context = StaffRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let store = try context.requireStore()
        guard let grant = context.session.grant(storeID: store.id) else {
            throw Problem(
                "forbidden", status: .forbidden, title: "Not your store",
                detail: "You have no access to this store. Ask its owner.")
        }
        var context = context
        context.grant = grant
        return try await next(request, context)
    }
}

/// Stands on a route group of a store's back-office: only those whose grant in the store allows one of
/// `permissions` reach its handlers; everyone else gets 403. Every back-office route hangs on such a group
/// (``BackOfficeRoutes``), and a test walks them all for every role.
struct Requires: RouterMiddleware {
    typealias Context = StaffRequestContext
    let permissions: Set<Permission>

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard !context.permissions.isDisjoint(with: self.permissions) else { throw Self.refused }
        return try await next(request, context)
    }

    static let refused = Problem(
        "forbidden", status: .forbidden, title: "Not for your role",
        detail: "Your role in this store does not allow this. Ask the store's owner.")
}

/// A store's back-office route groups by permission: a controller registers each route on the group of what it
/// needs.
struct StoreGroups {
    let store: RouterGroup<StaffRequestContext>

    /// A group whose routes need `permission` in the store.
    func requiring(_ permission: Permission) -> RouterGroup<StaffRequestContext> {
        self.requiringAny([permission])
    }

    /// A group whose routes need any one of `permissions`, the handler then checking which; e.g. an order's
    /// status, moved by florists, couriers and managers, each within their own steps.
    func requiringAny(_ permissions: Set<Permission>) -> RouterGroup<StaffRequestContext> {
        self.store.group().add(middleware: Requires(permissions: permissions))
    }
}
