import FloodgateCore
import Hummingbird

/// Runs every request inside ``VisitorScope``, so deferred work can tell (and refuse) being reached from one.
struct VisitorScopeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await VisitorScope.$current.withValue(request.uri.path) { try await next(request, context) }
    }
}
