import HTTPTypes

/// A proxy in front asking the shop to refuse this request with its own waiting room: `Floodgate-Shed: SECONDS`.
///
/// With N shops behind a proxy that queues by class (README), the queue sits in the proxy. What the proxy will
/// not queue, it sends on with this header. The visitor then gets the shop's ``WaitingRoom``: the cart kept,
/// the wait, the windows still open, a refused form posted again when the wait is over. The proxy's own 503
/// has none of that.
///
/// Only a proxy the shop trusts (`http.trust.forwarded`, as for `X-Forwarded-For`) is heard: without it, a
/// visitor's own header would turn the shop's busy-day machinery against them (their requests counted as shed,
/// waiting pages drawn for them). The proxy removes the header from what visitors send (`bench/haproxy.cfg`).
enum ProxyShed {
    static let header = HTTPField.Name("Floodgate-Shed")!

    /// The `Retry-After` the proxy asks for; nil when the shop does not trust a proxy in front (`trusted`), or the
    /// header is absent or not a whole number of seconds from 1 to 300 (the request is then served as usual).
    static func retryAfter(_ headers: HTTPFields, trusted: Bool) -> Int? {
        guard trusted, let value = headers[Self.header], let seconds = Int(value), (1...300).contains(seconds) else {
            return nil
        }
        return seconds
    }
}
