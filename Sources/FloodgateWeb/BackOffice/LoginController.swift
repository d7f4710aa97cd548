import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird
import Synchronization

/// `/admin/login` and `/admin/logout`, and `/admin` itself (to the first store's day).
///
/// The login form carries a token that must match a cookie set with it (login CSRF). Failed sign-ins are
/// counted per email: after five in fifteen minutes that account waits, whatever the password.
struct LoginController: Sendable {
    let shell: BackOfficeShell
    let staff: any StaffRepository
    /// `Secure` cookies: the shop is served over HTTPS.
    let secureCookies: Bool
    let throttle = LoginThrottle()

    static let loginCookie = "fg_login"
    static let sessionLifetime: Int64 = 12 * 3_600_000

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("admin", use: self.home)
        router.get("admin/login", use: self.form)
        router.post("admin/login", use: self.login)
        router.post("admin/logout", use: self.logout)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let store = try await self.shell.stores.all().first else { throw Problem.notFound("This shop has no stores yet.") }
        return .redirect(to: "/admin/\(store.slug)/", type: .normal)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.staff != nil { return .redirect(to: Self.safeNext(request.uri.queryParameters.get("next")), type: .normal) }
        return try await self.page(next: request.uri.queryParameters.get("next") ?? "/admin", email: "", error: "")
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context)
        let next = Self.safeNext(form["next"])
        let email = StaffMember.normalise(email: form["email"] ?? "")
        guard let cookie = request.cookies[Self.loginCookie]?.value, let token = form["csrf"], TokenCheck.matches(cookie, token) else {
            return try await self.page(next: next, email: email, error: "The sign-in form expired. Please try again.", status: .forbidden)
        }
        guard self.throttle.allows(email) else {
            return try await self.page(next: next, email: email, error: "Too many failed attempts. Wait fifteen minutes and try again.", status: .tooManyRequests)
        }
        let account = try await self.staff.account(email: email)
        // An unknown email costs a bcrypt verification too, so the answer's timing does not tell which emails exist.
        let valid = try await PasswordHasher.verify(form["password"] ?? "", hash: account?.passwordHash ?? PasswordHasher.decoy)
        guard valid, let member = account?.0 else {
            self.throttle.failed(email)
            return try await self.page(next: next, email: email, error: "Wrong email or password.", status: .unauthorized)
        }
        self.throttle.succeeded(email)
        let (secret, session) = try await self.staff.startSession(for: member, lifetime: Self.sessionLifetime)
        var response = Response.redirect(to: next, type: .normal)
        response.setCookie(StaffSessionMiddleware.sessionCookie(secret, expires: session.expiresAt, secure: self.secureCookies))
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await BackOfficeForm.read(request, context: context)
        if let secret = StaffSessionMiddleware.secret(in: request) { try await self.staff.endSession(secret: secret) }
        var response = Response.redirect(to: StaffSessionMiddleware.loginPath, type: .normal)
        response.setCookie(Cookie(name: StaffSessionMiddleware.cookie, value: "", maxAge: 0, path: "/admin", secure: self.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    private func page(next: String, email: String, error: String, status: HTTPResponse.Status = .ok) async throws -> Response {
        let token = RandomToken.hex(words: 2)
        let page = LoginPage(
            chrome: AdminChrome(title: "Sign in", session: nil), csrf: token, next: Self.safeNext(next), email: email, error: error.nonEmpty
        )
        var response = self.shell.render(page, status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: token, path: "/admin", secure: self.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Only back-office paths: a login link cannot send anyone elsewhere.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/admin"), !next.hasPrefix("/admin/login"), !next.contains("//"), !next.contains("\\") else { return "/admin" }
        return next
    }
}

/// Failed sign-ins per email in the last fifteen minutes; memory bounded by the number of emails tried.
final class LoginThrottle: Sendable {
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])
    static let limit = 5
    static let window = Duration.seconds(900)

    func allows(_ email: String) -> Bool {
        let now = ContinuousClock.now
        return self.failures.withLock { failures in
            let recent = (failures[email] ?? []).filter { now - $0 < Self.window }
            failures[email] = recent.isEmpty ? nil : recent
            return recent.count < Self.limit
        }
    }

    func failed(_ email: String) {
        self.failures.withLock { failures in
            if failures.count > 10_000 { failures.removeAll() }
            failures[email, default: []].append(.now)
        }
    }

    func succeeded(_ email: String) {
        _ = self.failures.withLock { $0.removeValue(forKey: email) }
    }
}
