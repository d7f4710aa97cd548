import Crypto
import Foundation
import Hummingbird

/// Lets a request into `/api/v1/admin` only with `Authorization: Bearer <admin token>`.
///
/// With no token configured the admin API is closed to everyone. The comparison takes the same time
/// however much of the token matches (digests are compared, not the token). Staff accounts replace this in a later issue.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// SHA-256 of the configured token, or nil when the admin API is closed.
    let tokenDigest: [UInt8]?

    init(token: String?) {
        self.tokenDigest = token.map { Array(SHA256.hash(data: Data($0.utf8))) }
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try self.check(request)
        return try await next(request, context)
    }

    /// Throws unless the request carries the admin token.
    func check(_ request: Request) throws {
        guard let expected = self.tokenDigest else {
            throw Problem(
                "admin-closed", status: .unauthorized, title: "The admin API is closed",
                detail: "Start floodgate with --admin-token (env FLOODGATE_ADMIN_TOKEN) to open it.")
        }
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), Array(SHA256.hash(data: Data(header.dropFirst(7).utf8))) == expected else {
            throw Problem(
                "unauthorized", status: .unauthorized, title: "Not authorised",
                detail: "Send Authorization: Bearer <admin token>.")
        }
    }
}
