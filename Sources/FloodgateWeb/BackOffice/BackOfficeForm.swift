import FloodgateCore
import FloodgateStore
import Hummingbird

/// A back-office form post, read and checked: it must carry the session's CSRF token.
enum BackOfficeForm {
    static func read(_ request: Request, context: AppRequestContext) async throws -> FormBody {
        let session = try Self.session(context)
        let form = try await FormBody.read(request, context: context)
        try Self.check(token: form["csrf"], session: session)
        return form
    }

    static func check(token: String?, session: StaffSession) throws {
        guard let token, TokenCheck.matches(session.csrf, token) else {
            throw Problem(
                "csrf", status: .forbidden, title: "The form has expired",
                detail: "This form was not sent from your current back-office session. Reload the page and try again."
            )
        }
    }

    static func session(_ context: AppRequestContext) throws -> StaffSession {
        guard let session = context.staff else {
            throw Problem("unauthorized", status: .unauthorized, title: "Signed out", detail: "Sign in to the back-office.")
        }
        return session
    }

    /// Only the shop's owners: the catalog, tours and zones, exports.
    static func requireOwner(_ context: AppRequestContext) throws -> StaffSession {
        let session = try Self.session(context)
        guard session.staff.role == .owner else {
            throw Problem("forbidden", status: .forbidden, title: "For owners only", detail: "Ask the shop's owner to do this.")
        }
        return session
    }
}
