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
    let sessions: StaffSessions

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
        if context.staff == nil { try await self.sessions.find(for: request, into: &context) }
        var response = try await next(request, context)
        Self.protect(&response)
        return response
    }

    /// Back-office answers hold customers' details: never cached. (Never framed, and no referrer leaves with them:
    /// ``SecurityHeadersMiddleware`` says so for every answer.)
    static func protect(_ response: inout Response) {
        response.headers[.cacheControl] = "no-store"
    }

    static func secret(in request: Request) -> String? {
        request.cookies[Self.cookie]?.value
    }

    /// The cookie that removes the session's from the browser (signed out, or sent back to the password).
    static func endedCookie(secure: Bool) -> Cookie {
        Cookie(
            name: Self.cookie, value: "", maxAge: 0, path: "/admin", secure: secure, httpOnly: true, sameSite: .strict)
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

/// Finds the live session behind a request's cookie: the repository, the session policy, and how the client's
/// address is read (for the audit log).
struct StaffSessions: Sendable {
    let staff: any StaffRepository
    let policy: SessionPolicy
    let clients: ClientLimits

    /// Puts the session (if any) and where the request came from into the context.
    func find(for request: Request, into context: inout AppRequestContext) async throws {
        context.staffOrigin = self.origin(request, context: context)
        guard let secret = StaffSessionMiddleware.secret(in: request), !secret.isEmpty else { return }
        context.staff = try await self.staff.session(secret: secret, policy: self.policy)
    }

    func origin(_ request: Request, context: AppRequestContext) -> StaffOrigin {
        StaffOrigin(
            address: self.clients.fullAddress(request.headers, peer: context.remoteAddress),
            userAgent: request.headers[.userAgent] ?? "")
    }
}
