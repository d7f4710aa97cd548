import FloodgateCore
import FloodgateStore
import Foundation
import HTTPTypes
import Hummingbird

/// Stands on the `/admin` route group: finds the staff session behind the cookie, refuses posts a browser marks
/// as cross-site, and keeps back-office answers out of caches and frames.
///
/// It does not turn anyone away by itself: the signed-in routes stand behind ``SignInRequired`` and take a
/// ``StaffRequestContext``, which cannot exist without a session; the sign-in form does not need one.
/// The session cookie is `HttpOnly`, `SameSite=Strict`, scoped to `/admin`, and `Secure` when the shop is
/// served over HTTPS. Every form post is then checked for the session's CSRF token (``BackOfficeForm``).
struct StaffSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let staff: any StaffRepository

    static let cookie = "fg_staff"
    static let loginPath = "/admin/login"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .post, request.headers[.secFetchSite] == "cross-site" {
            throw Problem(
                "forbidden", status: .forbidden, title: "Refused",
                detail: "A back-office form can only be sent from the back-office.")
        }
        var context = context
        // ``BackOfficeGate`` has looked already when the path was plainly a back-office one.
        if context.staff == nil { context.staff = try await Self.session(for: request, in: self.staff) }
        var response = try await next(request, context)
        Self.protect(&response)
        return response
    }

    /// The live session behind the request's cookie, if any.
    static func session(for request: Request, in staff: any StaffRepository) async throws -> StaffSession? {
        guard let secret = Self.secret(in: request), !secret.isEmpty else { return nil }
        return try await staff.session(secret: secret)
    }

    /// Back-office answers hold customers' details: never cached. (Never framed, and no referrer leaves with them:
    /// ``SecurityHeadersMiddleware`` says so for every answer.)
    static func protect(_ response: inout Response) {
        response.headers[.cacheControl] = "no-store"
    }

    static func secret(in request: Request) -> String? {
        request.cookies[Self.cookie]?.value
    }

    /// The cookie that carries a new session's secret.
    static func sessionCookie(_ secret: String, expires: Int64, secure: Bool) -> Cookie {
        Cookie(
            name: Self.cookie, value: secret, expires: Date(timeIntervalSince1970: Double(expires) / 1_000),
            path: "/admin",
            secure: secure, httpOnly: true, sameSite: .strict
        )
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
