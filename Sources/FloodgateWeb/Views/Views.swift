import Foundation
import Hummingbird
import Mustache

/// The storefront's templates, loaded once at start-up, and the one way pages are rendered.
///
/// A missing template fails the start, not a visitor's request.
struct Views: Sendable {
    let library: MustacheLibrary
    /// Pages rendered once for everyone, by the inputs they were drawn from.
    let shared = SharedRenders()
    /// Folder of the resources shipped with the binary (templates/, static/, openapi.yaml).
    let resourcesDirectory: String
    /// Folder of the static assets (CSS, icons).
    var staticDirectory: String { self.resourcesDirectory + "/static" }

    static let required = ["home", "catalog", "product", "cart", "checkout", "order", "error", "header", "footer"]

    static func load() async throws -> Views {
        guard let resources = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw ViewsError.resourcesMissing
        }
        let library = try await MustacheLibrary(directory: resources.appendingPathComponent("templates").path)
        for name in Self.required where library.getTemplate(named: name) == nil {
            throw ViewsError.templateMissing(name, resources.path)
        }
        return Views(library: library, resourcesDirectory: resources.path)
    }

    /// Renders a page model with its template as an HTML response.
    func render<Page: PageModel>(_ page: Page, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let html = self.library.render(page, withTemplate: Page.template) ?? ""
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        if fields[.cacheControl] == nil { fields[.cacheControl] = "no-store" }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Renders a page that is the same for every visitor but for the cart badge, once per `key`.
    ///
    /// `key` must hold everything the page is drawn from (the store, the product as read now…), so a
    /// changed product is a new key and never an old page. `make` builds the model with `cartCount: nil`.
    func renderShared<Page: PageModel>(key: some Hashable & Sendable, cartCount: Int, make: () -> Page) -> Response {
        let page = self.shared.page(for: AnyHashableSendable(key), marker: Chrome.cartBadgeMarker) {
            self.library.render(make(), withTemplate: Page.template) ?? ""
        }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: page.body(with: Chrome.cartBadge(cartCount)))
        )
    }

    func errorPage(_ problem: Problem) throws -> Response {
        self.render(ErrorPage(problem: problem), status: .init(code: problem.status))
    }
}

/// A view model that knows which template draws it.
protocol PageModel {
    static var template: String { get }
}

enum ViewsError: Error, CustomStringConvertible {
    case resourcesMissing
    case templateMissing(String, String)

    var description: String {
        switch self {
        case .resourcesMissing: "The FloodgateWeb resource bundle was not found next to the binary."
        case .templateMissing(let name, let folder): "Template '\(name).mustache' is missing from \(folder)/templates."
        }
    }
}
