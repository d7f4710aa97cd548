import Foundation
import Hummingbird

/// Turns a request without a staff session away: a page goes to the sign-in form (and back after it), a post is
/// refused with 401. It stands on the signed-in back-office route group, and ``BackOfficeGate`` uses it in front
/// of the router.
struct SignInRequired: RouterMiddleware {
    typealias Context = AppRequestContext

    static let signedOut = Problem(
        "unauthorized", status: .unauthorized, title: "Signed out", detail: "Your session has ended. Sign in again.")

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let session = context.staff else { return try Self.refuse(request) }
        // A password without its second factor opens nothing but that step.
        guard session.stage == .full else {
            guard request.method == .get || request.method == .head else { throw Self.signedOut }
            return LoginController.onward(session, next: LoginController.safeNext(request.uri.path))
        }
        return try await next(request, context)
    }

    /// The answer to a request that needs a session and has none.
    static func refuse(_ request: Request) throws -> Response {
        guard request.method == .get || request.method == .head else { throw Self.signedOut }
        // Only a clean back-office path is offered as the way back; any other spelling goes back to the start.
        let next = LoginController.safeNext(request.uri.path + (request.uri.query.map { "?\($0)" } ?? ""))
        let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return .redirect(to: "\(StaffSessionMiddleware.loginPath)?next=\(encoded)", type: .normal)
    }
}
