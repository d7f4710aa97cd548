import FloodgateCore
import FloodgateStore
import Foundation
import HTTPTypes
import Hummingbird

/// Guards the back-office: every page under `/admin` but the login needs a live staff session.
///
/// The session cookie is `HttpOnly`, `SameSite=Strict`, scoped to `/admin`, and `Secure` when the shop is
/// served over HTTPS. A page without a session redirects to the login; a post without one is refused. Posts
/// that a browser marks as cross-site are refused before any handler runs; every handler's form is then
/// checked for the session's CSRF token (``BackOfficeForm``).
struct StaffSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let staff: any StaffRepository

    static let cookie = "fg_staff"
    static let loginPath = "/admin/login"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == "/admin" || path.hasPrefix("/admin/") else { return try await next(request, context) }
        if request.method == .post, request.headers[.secFetchSite] == "cross-site" {
            throw Problem("forbidden", status: .forbidden, title: "Refused", detail: "A back-office form can only be sent from the back-office.")
        }
        var context = context
        if let secret = Self.secret(in: request) { context.staff = try await self.staff.session(secret: secret) }
        if context.staff == nil, path != Self.loginPath {
            guard request.method == .get || request.method == .head else {
                throw Problem("unauthorized", status: .unauthorized, title: "Signed out", detail: "Your session has ended. Sign in again.")
            }
            let next = path + (request.uri.query.map { "?\($0)" } ?? "")
            return .redirect(to: "\(Self.loginPath)?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", type: .normal)
        }
        var response = try await next(request, context)
        // Back-office pages hold customers' details: never cached, never framed.
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }

    static func secret(in request: Request) -> String? {
        request.cookies[Self.cookie]?.value
    }

    /// The cookie that carries a new session's secret.
    static func sessionCookie(_ secret: String, expires: Int64, secure: Bool) -> Cookie {
        Cookie(
            name: Self.cookie, value: secret, expires: Date(timeIntervalSince1970: Double(expires) / 1_000), path: "/admin",
            secure: secure, httpOnly: true, sameSite: .strict
        )
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
