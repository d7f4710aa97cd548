import FloodgateCore
import FloodgateStore
import Hummingbird

/// What every back-office controller needs: the header a page shows, and rendering.
struct BackOfficeShell: Sendable {
    let stores: any StoreRepository
    let views: Views

    func chrome(
        _ title: String, _ context: StaffRequestContext, store: Store?, request: Request? = nil
    ) async throws -> AdminChrome {
        AdminChrome(
            title: title, session: context.session, store: store, stores: try await self.stores.all(),
            flash: BackOfficeNotice.named(request?.uri.queryParameters.get("done")).map(\.text)
        )
    }

    func render<Page: PageModel>(_ page: Page, status: HTTPResponse.Status = .ok) -> Response {
        self.views.render(page, status: status)
    }

    /// After a post, back to a page with a message (post/redirect/get: a reload never posts twice).
    static func redirect(_ path: String, done notice: BackOfficeNotice) -> Response {
        .redirect(to: "\(path)\(path.contains("?") ? "&" : "?")done=\(notice.rawValue)", type: .normal)
    }
}
