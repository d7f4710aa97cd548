import HTTPTypes

/// A proxy in front asking the shop to refuse this request with its own waiting room: `Floodgate-Shed: SECONDS`.
///
/// With N shops behind a proxy that queues by class (README), the queue sits in the proxy. What the proxy will
/// not queue, it sends on with this header. The visitor then gets the shop's ``WaitingRoom``: the cart kept,
/// the wait, the windows still open, a refused form posted again when the wait is over. The proxy's own 503
/// has none of that. Anyone may send the header: it refuses only the request that carries it, so it needs no
/// trust.
enum ProxyShed {
    static let header = HTTPField.Name("Floodgate-Shed")!

    /// The `Retry-After` the proxy asks for; nil when the header is absent or not a whole number of seconds
    /// from 1 to 300 (the request is then served as usual).
    static func retryAfter(_ headers: HTTPFields) -> Int? {
        guard let value = headers[Self.header], let seconds = Int(value), (1...300).contains(seconds) else { return nil }
        return seconds
    }
}
