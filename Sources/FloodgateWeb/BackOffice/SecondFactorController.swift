import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird

/// `/admin/second-factor`: after the password, a code from the authenticator app (or a recovery code); for an
/// owner or manager without one, enrolment first: a QR code drawn here, the first code to prove it, then ten
/// recovery codes shown once. A session at this stage opens nothing else (``SignInRequired``).
///
/// Codes are checked in constant time, a step either side of now, and never twice: the last step used is kept
/// with the account and taken with a conditional update, so a code seen over a shoulder is spent. Attempts go
/// through the sign-in throttle, by account and address.
struct SecondFactorController: Sendable {
    let shell: BackOfficeShell
    let sessions: StaffSessions
    let throttle: LoginThrottle
    /// `Secure` cookies: the shop is served over HTTPS.
    let secureCookies: Bool
    /// The name the authenticator app shows for the account.
    static let issuer = "Floodgate"
    /// Wrong codes (with the account's other recent failures) after which the session ends.
    static let codesPerPassword = 5

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("second-factor", use: self.form)
        group.post("second-factor", use: self.check)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = context.staff else { return try SignInRequired.refuse(request) }
        let next = LoginController.safeNext(request.uri.queryParameters.get("next"))
        guard session.stage != .full else { return .redirect(to: next, type: .normal) }
        return try await self.page(request, session: session, next: next, error: nil)
    }

    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = context.staff, let secret = StaffSessionMiddleware.secret(in: request) else {
            throw SignInRequired.signedOut
        }
        let form = try await FormBody.read(request, context: context)
        try BackOfficeForm.check(token: form["csrf"], session: session)
        let next = LoginController.safeNext(form["next"])
        guard session.stage != .full else { return .redirect(to: next, type: .normal) }
        let origin = self.sessions.origin(request, context: context)
        let actor = Actor(
            kind: .session, staffID: session.staff.id, name: session.staff.name, address: origin.address,
            userAgent: origin.userAgent)
        let address = self.sessions.clients.address(request.headers, peer: context.remoteAddress)
        if case .wait(let seconds) = self.throttle.attempt(email: session.staff.email, address: address, posts: false) {
            var response = try await self.page(
                request, session: session, next: next, error: "Too many attempts. Wait \(seconds) seconds.",
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        let code = (form["code"] ?? "").filter { !$0.isWhitespace }
        let now = Int64(Date().timeIntervalSince1970)
        let staff = self.sessions.staff
        let passed: Bool
        switch session.stage {
        case .enrol:
            guard let pending = session.pendingSecret, let bytes = Base32.decode(pending),
                let step = TOTP(secret: bytes).verify(code, at: now, after: nil)
            else {
                passed = false
                break
            }
            let codes = RecoveryCodes.make()
            try await staff.enrol(
                sessionSecret: secret, staffID: session.staff.id, totpSecret: pending, step: step,
                recoveryCodes: codes, by: actor)
            self.throttle.succeeded(email: session.staff.email, address: address)
            return self.shell.render(
                RecoveryCodesPage(chrome: AdminChrome(title: "Recovery codes", session: nil), codes: codes, next: next))
        case .secondFactor:
            if let enrolled = try await staff.secondFactor(staffID: session.staff.id),
                let bytes = Base32.decode(enrolled.secret),
                let step = TOTP(secret: bytes).verify(code, at: now, after: enrolled.lastStep)
            {
                passed = try await staff.completeSecondFactor(
                    sessionSecret: secret, staffID: session.staff.id, step: step, by: actor)
            } else if code.count > 6 {
                passed = try await staff.completeWithRecoveryCode(
                    sessionSecret: secret, staffID: session.staff.id, code: code, by: actor)
            } else {
                passed = false
            }
        case .full:
            passed = true
        }
        guard passed else {
            try await staff.recordFailedSecondFactor(staffID: session.staff.id, by: actor)
            // Past a few wrong codes the password must be given again: guessing codes costs a password each round.
            if self.throttle.failures(email: session.staff.email) >= Self.codesPerPassword {
                try await staff.endSession(secret: secret, by: actor)
                var response = Response.redirect(to: StaffSessionMiddleware.loginPath, type: .normal)
                response.setCookie(StaffSessionMiddleware.endedCookie(secure: self.secureCookies))
                return response
            }
            return try await self.page(
                request, session: session, next: next, error: "That code is not right (or was used already).",
                status: .unauthorized)
        }
        self.throttle.succeeded(email: session.staff.email, address: address)
        return .redirect(to: next, type: .normal)
    }

    private func page(
        _ request: Request, session: StaffSession, next: String, error: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var qr = ""
        var secret = ""
        if session.stage == .enrol {
            // One secret per enrolment attempt, kept with the session until its first code proves it.
            secret = session.pendingSecret ?? Base32.encode(TOTP.newSecret(), padding: false)
            if session.pendingSecret == nil, let cookie = StaffSessionMiddleware.secret(in: request) {
                try await self.sessions.staff.offer(enrolment: secret, toSession: cookie)
            }
            let link = TOTP(secret: Base32.decode(secret) ?? []).link(issuer: Self.issuer, account: session.staff.email)
            qr = (try? QRCode(text: link).svg()) ?? ""
        }
        let page = SecondFactorPage(
            chrome: AdminChrome(title: "Second step", session: nil), csrf: session.csrf, next: next,
            enrol: session.stage == .enrol, qr: qr, secret: secret, error: error)
        return self.shell.render(page, status: status)
    }
}
