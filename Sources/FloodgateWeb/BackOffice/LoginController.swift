import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird

/// `/admin/login` and `/admin/logout`, and `/admin` itself (to the first store's day).
///
/// The login form carries a token that must match a cookie set with it (login CSRF). Sign-ins are throttled per
/// account and per client address (``LoginThrottle``) before any password is checked, and the checks themselves
/// run apart from the shop's threads, a few at a time (``PasswordChecks``).
struct LoginController: Sendable {
    let shell: BackOfficeShell
    let sessions: StaffSessions
    /// `Secure` cookies: the shop is served over HTTPS.
    let secureCookies: Bool
    let throttle: LoginThrottle
    var passwords = PasswordChecks()

    static let loginCookie = "fg_login"

    /// `login` on the `/admin` group, open to all; `signedIn`, the back-office's signed-in group.
    func addRoutes(login: RouterGroup<AppRequestContext>, signedIn: RouterGroup<StaffRequestContext>) {
        login.get("login", use: self.form)
        login.post("login", use: self.login)
        signedIn.get("", use: self.home)
        signedIn.post("logout", use: self.logout)
    }

    /// To the first store they work in.
    @Sendable func home(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let granted = Set(context.session.grants.map(\.storeID))
        guard let store = try await self.shell.stores.all().first(where: { granted.contains($0.id) }) else {
            throw Problem.notFound("None of your stores exists any more.")
        }
        return .redirect(to: "/admin/\(store.slug)/", type: .normal)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let session = context.staff {
            return Self.onward(session, next: Self.safeNext(request.uri.queryParameters.get("next")))
        }
        return try await self.page(next: request.uri.queryParameters.get("next") ?? "/admin", email: "", error: "")
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context)
        let next = Self.safeNext(form["next"])
        let email = StaffMember.normalise(email: form["email"] ?? "")
        guard let cookie = request.cookies[Self.loginCookie]?.value, let token = form["csrf"],
            TokenCheck.matches(cookie, token)
        else {
            return try await self.page(
                next: next, email: email, error: "The sign-in form expired. Please try again.", status: .forbidden)
        }
        // No account has a longer email: answered at once, and never a key in the throttle's memory.
        guard email.utf8.count <= 254 else {
            return try await self.page(next: next, email: "", error: "Wrong email or password.", status: .unauthorized)
        }
        let address = self.sessions.clients.address(request.headers, peer: context.remoteAddress)
        let origin = self.sessions.origin(request, context: context)
        // The email as typed only when it is one: a password typed into the email field stays out of the log.
        let visitor = Actor(
            kind: .visitor, name: EmailAddress.isValid(email) ? email : "(not an email)", address: origin.address,
            userAgent: origin.userAgent)
        if case .wait(let seconds) = self.throttle.attempt(email: email, address: address) {
            return try await self.wait(seconds, next: next, email: email)
        }
        let account: SignInAccount?
        let valid: Bool
        do {
            // The account is looked up only once the check has its place: a refused flood costs no query.
            (account, valid) = try await self.passwords.check(
                form["password"] ?? "", known: self.throttle.isKnown(address), hash: \.passwordHash
            ) {
                try await self.sessions.staff.signInAccount(email: email)
            }
        } catch is PasswordCheckBusy {
            // Not the client's failure: the attempt is not held against it.
            self.throttle.took(back: email, address: address)
            return try await self.wait(1, next: next, email: email)
        }
        guard valid, let account else {
            try await self.sessions.staff.recordFailedSignIn(email: email, reason: "wrong password", by: visitor)
            return try await self.page(
                next: next, email: email, error: "Wrong email or password.", status: .unauthorized)
        }
        // The password was right: whoever typed it may know that their access has ended.
        guard !account.grants.isEmpty else {
            try await self.sessions.staff.recordFailedSignIn(email: email, reason: "no live access", by: visitor)
            return try await self.page(
                next: next, email: email, error: "Your access to the back-office has ended. Ask the shop's owner.",
                status: .forbidden)
        }
        self.throttle.succeeded(email: email, address: address)
        let member = account.member
        let (secret, session) = try await self.sessions.staff.startSession(
            for: account, policy: self.sessions.policy,
            by: Actor(
                kind: .session, staffID: member.id, name: member.name,
                role: account.grants.map(\.label).sorted().joined(separator: ", "), address: origin.address,
                userAgent: origin.userAgent))
        var response = Self.onward(session, next: next)
        response.setCookie(
            StaffSessionMiddleware.sessionCookie(secret, expires: session.expiresAt, secure: self.secureCookies))
        return response
    }

    @Sendable func logout(_ request: Request, context: StaffRequestContext) async throws -> Response {
        _ = try await BackOfficeForm.read(request, context: context)
        if let secret = StaffSessionMiddleware.secret(in: request) {
            try await self.sessions.staff.endSession(secret: secret, by: context.actor)
        }
        var response = Response.redirect(to: StaffSessionMiddleware.loginPath, type: .normal)
        response.setCookie(StaffSessionMiddleware.endedCookie(secure: self.secureCookies))
        return response
    }

    /// The form again, with how long to wait (429 and `Retry-After`).
    private func wait(_ seconds: Int, next: String, email: String) async throws -> Response {
        let when = seconds < 90 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
        var response = try await self.page(
            next: next, email: email, error: "Too many sign-in attempts. Wait \(when) and try again.",
            status: .tooManyRequests
        )
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    private func page(
        next: String, email: String, error: String, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let token = RandomToken.hex(words: 2)
        let page = LoginPage(
            chrome: AdminChrome(title: "Sign in", session: nil), csrf: token, next: Self.safeNext(next), email: email,
            error: error.nonEmpty
        )
        var response = self.shell.render(page, status: status)
        response.setCookie(
            Cookie(
                name: Self.loginCookie, value: token, path: "/admin", secure: self.secureCookies, httpOnly: true,
                sameSite: .strict))
        return response
    }

    /// Where a signed-in browser goes: on to `next`, or first to its second factor.
    static func onward(_ session: StaffSession, next: String) -> Response {
        guard session.stage != .full else { return .redirect(to: next, type: .normal) }
        let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return .redirect(to: "/admin/second-factor?next=\(encoded)", type: .normal)
    }

    /// Only back-office paths: a login link cannot send anyone elsewhere.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/admin"), !next.hasPrefix("/admin/login"),
            !next.hasPrefix("/admin/second-factor"), !next.contains("//"),
            !next.contains("\\")
        else { return "/admin" }
        return next
    }
}
