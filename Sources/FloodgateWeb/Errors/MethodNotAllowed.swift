import HTTPTypes
import Hummingbird

/// A known address asked with a method it does not take: `405 Method Not Allowed` with `Allow` (RFC 9110 §15.5.6),
/// where Hummingbird's router would answer 404, as for an address that does not exist.
///
/// ``addRoutes(to:)`` gives every path of the router a route for each method it lacks. They are ordinary routes
/// behind the same middleware as the rest: the back-office gate still turns a stranger away first, so a closed
/// path tells nobody which methods it takes.
struct MethodNotAllowed: Error, Sendable {
    /// The methods the address takes.
    let allowed: [HTTPRequest.Method]

    /// The `Allow` header's value: `GET, POST`.
    var allow: String { self.allowed.map(\.rawValue).joined(separator: ", ") }

    var problem: Problem {
        Problem(
            "method-not-allowed", status: .methodNotAllowed, title: "Method not allowed",
            detail: "This address takes \(self.allow).")
    }

    /// The methods a path is given when it lacks them. `HEAD` only where the path has no `GET`: there the router
    /// (built with `.autoGenerateHeadEndpoints`) answers it as the `GET` without the body, and `Allow` names it.
    static let methods: [HTTPRequest.Method] = [
        .get, .head, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!,
    ]

    /// Adds, for every path on `router`, a route for each of ``methods`` it lacks: `OPTIONS` answers 204 with
    /// `Allow`, every other method 405 with `Allow`. Call it once, after every other route.
    ///
    /// - Returns: The routes it added, as `"METHOD /path"`.
    @discardableResult
    static func addRoutes<Context: RequestContext>(to router: Router<Context>) -> Set<String> {
        // One entry per path, in the router's own spelling; a path's methods all sit on one endpoint.
        var paths: [(path: RouterPath, methods: [HTTPRequest.Method])] = []
        for route in router.routes {
            if let index = paths.firstIndex(where: { $0.path == route.path }) {
                paths[index].methods.append(route.method)
            } else {
                paths.append((path: route.path, methods: [route.method]))
            }
        }
        var added: Set<String> = []
        for (path, taken) in paths {
            let served = taken.contains(.get) && !taken.contains(.head) ? taken + [.head] : taken
            let refusal = MethodNotAllowed(allowed: served.sorted { $0.rawValue < $1.rawValue })
            for method in Self.methods where !taken.contains(method) && !(method == .head && taken.contains(.get)) {
                if method == .options {
                    router.on(path, method: method) { _, _ in
                        Response(status: .noContent, headers: [.allow: refusal.allow])
                    }
                } else {
                    router.on(path, method: method) { _, _ -> Response in throw refusal }
                }
                added.insert("\(method.rawValue) \(path)")
            }
        }
        return added
    }
}
