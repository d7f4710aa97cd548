import FloodgateStore
import Hummingbird

/// The guard in front of the router: a request whose path, read leniently (``BackOfficePath``), leads into the
/// back-office or the admin API needs a staff session or the admin token, whether or not the router would match
/// that spelling.
///
/// The route groups guard the handlers themselves; this makes sure that no spelling of a closed path answers
/// anything but "sign in" to a stranger — not a page, not a "not found" that tells which paths exist.
struct BackOfficeGate: RouterMiddleware {
    typealias Context = AppRequestContext
    let sessions: StaffSessions
    let adminToken: AdminAuthMiddleware

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch BackOfficePath(path: request.uri.path) {
        case .open, .signIn:
            return try await next(request, context)
        case .adminAPI:
            var context = context
            context.adminCaller = try await self.adminToken.authenticate(request)
            return try await next(request, context)
        case .backOffice:
            var context = context
            try await self.sessions.find(for: request, into: &context)
            guard context.staff != nil else {
                var response = try SignInRequired.refuse(request)
                StaffSessionMiddleware.protect(&response)
                return response
            }
            return try await next(request, context)
        }
    }
}
