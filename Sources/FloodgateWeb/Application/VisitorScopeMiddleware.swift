import FloodgateCore
import Hummingbird

/// Runs every request inside ``VisitorScope``, so deferred work can tell (and refuse) being reached from one,
/// and counts it in ``VisitorLoad``, so a worker in this process can step back while visitors are many.
struct VisitorScopeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let load: VisitorLoad

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        self.load.enter()
        defer { self.load.leave() }
        return try await VisitorScope.$current.withValue(request.uri.path) { try await next(request, context) }
    }
}
