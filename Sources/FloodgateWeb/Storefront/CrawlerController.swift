import FloodgateStore
import Hummingbird
import NIOCore

/// `/robots.txt` and `/sitemap.xml`: where crawlers are welcome (catalog and product pages), where not
/// (carts, checkout, orders, the API), and every page worth indexing — so they need not discover it by
/// walking every link. Both from memory; the sitemap is rebuilt at most once per cache time.
struct CrawlerController: Sendable {
    let stores: any StoreRepository
    let catalog: any CatalogRepository
    let pages: PageCache
    let publicURL: String

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("robots.txt", use: self.robots)
        router.get("sitemap.xml", use: self.sitemap)
    }

    @Sendable func robots(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = """
            User-agent: *
            Disallow: /s/*/cart
            Disallow: /s/*/checkout
            Disallow: /s/*/orders/
            Disallow: /api/
            Crawl-delay: 1

            Sitemap: \(self.publicURL)/sitemap.xml

            """
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    @Sendable func sitemap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (stores, catalog, base) = (self.stores, self.catalog, self.publicURL)
        let entry = try await self.pages.entry(for: PageCache.Key(store: "", page: "sitemap")) {
            var urls = ["\(base)/"]
            for store in try await stores.all() {
                urls.append("\(base)/s/\(store.slug)/")
                urls += try await catalog.products(storeID: store.id).map {
                    "\(base)/s/\(store.slug)/products/\($0.id)"
                }
            }
            let body = urls.map { "  <url><loc>\(Self.escape($0))</loc></url>" }.joined(separator: "\n")
            return """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                \(body)
                </urlset>

                """
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: entry.body(with: ""))
        )
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
