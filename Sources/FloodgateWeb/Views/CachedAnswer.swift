import Foundation
import HTTPTypes
import NIOCore

/// What a page from the ``PageCache`` answers a request — the same whether Hummingbird's handler sends it
/// (``Views/cachedPage(_:request:cartCount:render:)``) or the connection does (``CachedPageHandler``).
///
/// `304 Not Modified` when the visitor already has it (`If-None-Match`). The tag covers the shared bytes and
/// the badge. Without cookies the page is the same for everyone and a CDN may keep it for the cache's time
/// (`s-maxage`); browsers always revalidate, so availability is never older than that.
///
/// It carries the ``SecurityHeaders`` itself: an answer from the connection never passes the router's
/// ``SecurityHeadersMiddleware``.
struct CachedAnswer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    /// `nil` for `304`.
    var body: ByteBuffer?

    init(entry: PageCache.Entry, cartCount: Int, shared: Bool, ifNoneMatch: String?, sharedCacheControl: String) {
        let etag = "\"\(entry.etag)-\(cartCount)\""
        self.headers = [.eTag: etag, .vary: "Cookie", .cacheControl: shared ? sharedCacheControl : "private, no-cache"]
        self.headers.append(contentsOf: SecurityHeaders.fields)
        if let ifNoneMatch, Self.matches(ifNoneMatch, etag) {
            self.status = .notModified
            self.body = nil
        } else {
            self.headers[.contentType] = "text/html; charset=utf-8"
            self.status = .ok
            self.body = entry.body(with: Chrome.cartBadge(cartCount))
        }
    }

    /// `If-None-Match` against a tag: a list of tags, weak or strong (weak comparison), or `*`.
    static func matches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { part in
            let tag = part.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
