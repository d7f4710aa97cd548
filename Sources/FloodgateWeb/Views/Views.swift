import FloodgateCore
import Foundation
import Hummingbird
import Mustache

/// The storefront's templates, loaded once at start-up, and the one way pages are rendered.
///
/// A missing template fails the start, not a visitor's request.
struct Views: Sendable {
    let library: MustacheLibrary
    /// Catalog and product pages, rendered once for everyone and kept for a short time.
    let pages: PageCache
    /// Cart pages by the cart's contents (many visitors have the same one bouquet in theirs); kept apart from
    /// `pages` so that many different carts never push the catalog out.
    let carts: PageCache
    /// Waiting-room pages (``WaitingRoom``), kept apart and small: however many waits and stores are asked
    /// for, they never push the catalog out.
    let waiting: PageCache
    /// Folder of the resources shipped with the binary (templates/, static/, openapi.yaml).
    let resourcesDirectory: String
    /// Folder of the static assets (CSS, icons).
    var staticDirectory: String { self.resourcesDirectory + "/static" }

    static let required = [
        "home", "catalog", "product", "cart", "checkout", "order", "error", "header", "footer", "waiting",
    ]

    /// `pageTTL`: how long a rendered catalog or product page is served before it is drawn again.
    static func load(pageTTL: Duration = .seconds(1)) async throws -> Views {
        guard let resources = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw ViewsError.resourcesMissing
        }
        let library = try await MustacheLibrary(directory: resources.appendingPathComponent("templates").path)
        for name in Self.required where library.getTemplate(named: name) == nil {
            throw ViewsError.templateMissing(name, resources.path)
        }
        return Views(
            library: library, pages: PageCache(ttl: pageTTL, marker: Chrome.cartBadgeMarker),
            carts: PageCache(ttl: pageTTL, marker: Chrome.cartBadgeMarker, capacity: 5_000),
            waiting: PageCache(ttl: .seconds(1), marker: Chrome.cartBadgeMarker, capacity: 256),
            resourcesDirectory: resources.path
        )
    }

    /// Renders a page model with its template as an HTML response.
    func render<Page: PageModel>(_ page: Page, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response
    {
        self.html(self.draw(page), status: status, headers: headers)
    }

    /// A page model drawn with its template (read once into ``TemplateValue``s, which Mustache reads fast).
    func draw<Page: PageModel>(_ page: Page) -> String {
        Self.draw(page, template: Page.template, library: self.library)
    }

    static func draw(_ page: Any, template: String, library: MustacheLibrary) -> String {
        library.render(TemplateValue.wrap(page) as Any, withTemplate: template) ?? ""
    }

    /// Drops every rendered page of a store (its catalog, product or prices changed).
    func invalidate(store: Store) {
        self.pages.invalidate(store: store.slug)
        self.carts.invalidate(store: store.slug)
        self.waiting.invalidate(store: store.slug)
    }

    /// Rendered HTML as a response, `no-store` unless `headers` say otherwise.
    func html(_ html: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        if fields[.cacheControl] == nil { fields[.cacheControl] = "no-store" }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page that is the same for every visitor but for the cart badge, from the ``PageCache``, answered as
    /// ``CachedAnswer`` says (`304` when the visitor has it). `render` draws the page with `cartCount: nil` (the
    /// badge marker) and may throw (a missing product).
    func cachedPage<Page: PageModel>(
        _ key: PageCache.Key, request: Request, cartCount: Int, render: @escaping @Sendable () async throws -> Page
    ) async throws -> Response {
        let (library, template) = (self.library, Page.template)
        let entry = try await self.pages.entry(for: key) {
            Self.draw(try await render(), template: template, library: library)
        }
        let answer = CachedAnswer(
            entry: entry, cartCount: cartCount, shared: request.headers[.cookie] == nil,
            ifNoneMatch: request.headers[.ifNoneMatch],
            sharedCacheControl: self.pages.sharedCacheControl
        )
        return Response(
            status: answer.status, headers: answer.headers, body: answer.body.map { .init(byteBuffer: $0) } ?? .init())
    }

    func errorPage(_ problem: Problem) throws -> Response {
        self.render(ErrorPage(problem: problem), status: .init(code: problem.status))
    }
}

/// A view model that knows which template draws it.
protocol PageModel: SendableMetatype {
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
