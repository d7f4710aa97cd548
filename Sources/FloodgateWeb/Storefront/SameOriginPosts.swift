import Foundation
import HTTPTypes
import Hummingbird

/// Stands on the storefront's route group (`/s/{store}`): a cart, checkout or waiting-list form is taken only
/// from the shop's own pages. A post the browser marks as cross-site (`Sec-Fetch-Site`), or whose `Origin` is
/// another site, is refused before any handler reads it, so another site cannot fill a visitor's cart or place
/// an order in their name. Posts without either header (older browsers, scripts) go on: browsers that can be
/// tricked into a cross-site post send at least one of them.
///
/// The JSON API is not under this group: other origins' servers use it, and a browser cannot send it JSON
/// cross-site without a CORS preflight that the shop never grants.
struct SameOriginPosts: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The shop's public origin (`scheme://host[:port]`), accepted besides the request's own `Host`.
    let publicOrigin: String

    init(publicURL: String) {
        self.publicOrigin = Self.origin(of: publicURL) ?? ""
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method != .get, request.method != .head, !self.isSameOrigin(request) else {
            return try await next(request, context)
        }
        throw Problem(
            "cross-site", status: .forbidden, title: "This form came from another site",
            detail: "For your safety the shop only takes its forms from its own pages. Open the shop and try again."
        )
    }

    func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[.secFetchSite]?.lowercased(), site != "same-origin", site != "none" {
            return false
        }
        guard let origin = request.headers[.origin] else { return true }
        let given = origin.lowercased()
        if given == self.publicOrigin { return true }
        // HTTP/1's `Host` arrives as the request's authority.
        guard let host = request.head.authority?.lowercased(), let parsed = Self.origin(of: given) else { return false }
        // Behind a proxy the scheme may differ from what the shop sees; the host and port must match.
        return parsed.hasSuffix("://" + host)
    }

    /// `scheme://host[:port]` of a URL, lowercased; nil for anything else (`null`, an opaque origin).
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased(), !host.isEmpty, ["http", "https"].contains(scheme)
        else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
