import FloodgateAdmission
import NIOCore

/// How the shop holds a crowd: the admission gate, deadlines and per-client limits, with defaults for a
/// 2-core machine. Keys under `admission.` (`FLOODGATE_ADMISSION_…`):
/// `enabled`, `limit.max`, `queue`, `checkout.limit`, `checkout.queue`, `checkout.yield`, `checkout.loop`, `wait.{checkout,cart,browse,bot}.ms`, `deadline.{class}.ms`,
/// `bot.share` (percent of the limit), `client.rate`, `client.burst`, `client.debt`, `bot.rate`, `bot.burst`,
/// `http.connections.max`, `http.backlog`, `http.idle-timeout` and `http.head-timeout` (seconds), and `http.trust.forwarded` (take the
/// client's address from `X-Forwarded-For`, and `Floodgate-Shed`, from the proxy in front: `true`, or better the
/// proxies' addresses, ``TrustedProxies``).
public struct AdmissionSettings: Sendable {
    /// The gate (limit, queue, shedding); deadlines and per-client limits apply either way.
    public var enabled = true
    /// The most requests the adaptive limit may let in at once (it starts at 32 and learns).
    public var maxLimit = 256
    /// How many page requests may wait for a place.
    public var queue = 1_024
    /// Checkouts in flight at once (they wait for the database's writer, which commits them in groups) and how
    /// many may wait behind them. A group commit needs no more than 16 to fill it on 2 cores; more in flight only
    /// lengthens each admitted checkout's wait for the writer.
    public var checkoutLimit = 16
    public var checkoutQueue = 2_048
    /// Page requests let in at once while checkouts are waiting for their door; 0: pages never give way.
    public var yieldLimit = 0
    /// Whether a checkout's request runs on its connection's event loop outside its work (``ConnectionExecutor``);
    /// nil: on PostgreSQL yes, on SQLite no. On PostgreSQL it cuts checkouts' p99 in the shop; on SQLite, whose
    /// checkouts take a few milliseconds, it raises it.
    public var checkoutOnLoop: Bool?
    /// Latency growth over no-load the page limit accepts before it shrinks.
    public var tolerance = 3.0
    /// How long a request of each class may wait for a place.
    public var maxWait: [RequestClass: Duration] = [
        .checkout: .seconds(10), .cart: .seconds(4), .browse: .seconds(2), .bot: .milliseconds(500),
    ]
    /// How long a request of each class may take in all, queueing included; the database sheds past it.
    public var deadline: [RequestClass: Duration] = [
        .checkout: .seconds(20), .cart: .seconds(8), .browse: .seconds(5), .bot: .seconds(2),
    ]
    /// The share of the limit crawlers may hold at once.
    public var botShare = 0.1
    /// Per client address: requests a second, burst, and requests over the rate still served as a robot's.
    public var clientRate = 20.0
    public var clientBurst = 100.0
    public var clientDebt = 200.0
    /// Per crawler address: requests a second and burst, then `429`.
    public var botRate = 2.0
    public var botBurst = 20.0
    /// Clients remembered for rate limits, at most.
    public var maxClients = 50_000
    /// Whether a proxy in front is heard at all, and from which peers (``TrustedProxies``).
    public var trustForwarded = false
    public var trustedProxies = TrustedProxies.anyPeer
    /// Open connections at most (`http.connections.max`), and the kernel's queue of connections not yet
    /// accepted (`http.backlog`).
    public var maxConnections = 2_048
    public var backlog = 1_024
    /// How long a connection may wait for its next request after an answer (`http.idle-timeout`), and how long a
    /// request's head may take to arrive, from the connection's opening or its first byte (`http.head-timeout`):
    /// idle and slow connections are closed, so they cannot hold the places of ``maxConnections``
    /// (``ConnectionDeadlineHandler``).
    public var idleTimeout: Duration = .seconds(30)
    public var headTimeout: Duration = .seconds(10)

    public init() {}

    /// Whether a request on a connection from `peer` comes through a trusted proxy, whose headers speak for the visitor.
    func trusts(_ peer: SocketAddress?) -> Bool {
        self.trustForwarded && self.trustedProxies.contains(peer)
    }
}
