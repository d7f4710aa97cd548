import FloodgateCore
import FloodgateStore
import Hummingbird

/// A back-office form post, read and checked: it must carry the session's CSRF token.
enum BackOfficeForm {
    static func read(_ request: Request, context: StaffRequestContext) async throws -> FormBody {
        let form = try await FormBody.read(request, context: context)
        try Self.check(token: form["csrf"], session: context.session)
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
}
