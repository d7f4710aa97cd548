import FloodgateAdmission
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers a fresh catalog or product page from the ``PageCache`` on the connection's event loop, before the
/// request becomes a Hummingbird task. Everything else goes on as usual.
///
/// On a busy day most requests are for these few pages, so this path has to be cheap. Through the router,
/// a cached page cost about what `/healthz` costs: the hops between the event loop and Swift's task pool, and
/// the middleware frames. Here it costs a dictionary look-up and a write (`bench/static.sh`: 0.37 → 0.57 of
/// nginx serving the same bytes).
///
/// Only a request that would get exactly the cached bytes, and that admission would let through at once,
/// is answered here:
/// - `GET /s/{store}/` or `/s/{store}/products/{id}` without a query, without cookies (so no cart badge, and
///   the page is the shared one), and without a `Connection` header (no keep-alive decisions to make here);
/// - from a visitor who is not a crawler (`RequestClass`) and is within their rate: the token is taken
///   here, as the admission middleware would take it (past the rate nothing is taken here; the middleware
///   charges it and serves it as a robot's, or refuses it);
/// - on a connection with no request of its own still being answered by Hummingbird (responses stay in order);
/// - for a page already in the cache and fresh. A miss is never rendered here: it goes to the router, which
///   renders once per key.
final class CachedPageHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let pages: PageCache
    private let clients: ClientLimits
    private let times: ShopTimes
    private let serverName: String?
    /// Requests passed on to Hummingbird whose answer has not ended yet.
    private var passedOn = 0
    /// The rest of a request answered here (its end) is not passed on.
    private var answered = false
    /// The connection's last user agent and whether it is a robot's: a keep-alive connection sends the same
    /// one every time, and comparing it costs less than searching it for sixteen crawler marks (`perf`:
    /// classifying the request, path and agent, was 7 % of a cached answer's CPU).
    private var lastAgent: String?
    private var lastAgentIsRobot = true

    init(pages: PageCache, clients: ClientLimits, times: ShopTimes, serverName: String?) {
        self.pages = pages
        self.clients = clients
        self.times = times
        self.serverName = serverName
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let request):
            let start = ContinuousClock.now
            if self.passedOn == 0, let answer = self.answer(request, peer: context.channel.remoteAddress) {
                self.answered = true
                self.write(answer, context: context)
                // Timed here: the ShopTimingHandler behind this one sees only what is passed on.
                self.times.record(.browse, since: start)
                return
            }
            self.passedOn += 1
            context.fireChannelRead(data)
        case .body, .end:
            if self.answered {
                if case .end = self.unwrapInboundIn(data) { self.answered = false }
                return
            }
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = self.unwrapOutboundIn(data) { self.passedOn = max(0, self.passedOn - 1) }
        context.write(data, promise: promise)
    }

    /// The cached answer to `request`, if it may be given here.
    private func answer(_ request: HTTPRequest, peer: SocketAddress?) -> CachedAnswer? {
        guard request.method == .get, let path = request.path, let key = Self.key(path),
            request.headerFields[.cookie] == nil, request.headerFields[.connection] == nil,
            // On these two paths `RequestClass.classify` gives browse unless the agent is a robot's.
            !self.isRobot(request.headerFields[.userAgent]),
            let entry = self.pages.fresh(key)
        else { return nil }
        let client = self.clients.address(request.headerFields, peer: peer)
        guard case .within = self.clients.take(client, crawler: false, onlyWithin: true) else { return nil }
        self.pages.answeredOne()
        return CachedAnswer(
            entry: entry, cartCount: 0, shared: true, ifNoneMatch: request.headerFields[.ifNoneMatch],
            sharedCacheControl: self.pages.sharedCacheControl
        )
    }

    private func isRobot(_ agent: String?) -> Bool {
        if let agent, agent == self.lastAgent { return self.lastAgentIsRobot }
        let robot = RequestClass.isRobot(userAgent: agent)
        (self.lastAgent, self.lastAgentIsRobot) = (agent, robot)
        return robot
    }

    private func write(_ answer: CachedAnswer, context: ChannelHandlerContext) {
        var headers = answer.headers
        headers[.date] = HTTPDate.now
        if let serverName = self.serverName { headers[.server] = serverName }
        headers[.contentLength] = String(answer.body?.readableBytes ?? 0)
        context.write(
            self.wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: headers))), promise: nil)
        if let body = answer.body { context.write(self.wrapOutboundOut(.body(body)), promise: nil) }
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// The cache key of a storefront page path (`/s/petals/`, `/s/petals/products/42`), as the controllers make it.
    static func key(_ path: String) -> PageCache.Key? {
        let utf8 = path.utf8
        // "/s/" + store + "/" then nothing (the catalog) or "products/" + digits.
        guard utf8.starts(with: "/s/".utf8) else { return nil }
        let storeStart = utf8.index(utf8.startIndex, offsetBy: 3)
        guard let slash = utf8[storeStart...].firstIndex(of: UInt8(ascii: "/")), slash > storeStart else { return nil }
        let store = String(Substring(path.utf8[storeStart..<slash]))
        let rest = utf8[utf8.index(after: slash)...]
        if rest.isEmpty { return PageCache.Key(store: store, page: "catalog") }
        guard rest.starts(with: "products/".utf8) else { return nil }
        let digits = rest.dropFirst(9)
        guard !digits.isEmpty, digits.count <= 18,
            digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let id = Int(Substring(digits)), id > 0
        else { return nil }
        return PageCache.Key(store: store, page: "product/\(id)")
    }
}

@available(*, unavailable)
extension CachedPageHandler: Sendable {}
