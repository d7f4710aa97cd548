import FloodgateAdmission
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Times each request the router answers, from its head's read on the connection to its answer's end, into
/// ``ShopTimes``.
///
/// It sits right behind the ``CachedPageHandler``, which times its own answers: in front of it, this handler
/// held the cached path to 0.48–0.49 of nginx in three runs of `bench/static.sh`; behind it, 0.49–0.57, as
/// without it. Answers go back in the order requests came (HTTP/1.1), so the oldest request still open owns
/// the answer.
final class ShopTimingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let times: ShopTimes
    /// Requests read and not yet answered, oldest first.
    private var open: [(RequestClass?, ContinuousClock.Instant)] = []
    /// Whether the answer being written counts (below 400).
    private var counted = false
    private let checkoutOnLoop: Bool
    /// Where the connection's task runs, told when a checkout is read (``ConnectionTasks``); nil when checkouts
    /// are not run on their loop.
    private(set) var executor: ConnectionExecutor?

    init(times: ShopTimes, checkoutOnLoop: Bool = false) {
        self.times = times
        self.checkoutOnLoop = checkoutOnLoop
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if self.checkoutOnLoop { self.executor = ConnectionExecutor(loop: context.eventLoop) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = self.unwrapInboundIn(data) {
            let requestClass = RequestClass.classify(
                method: request.method.rawValue, path: request.path ?? "/", userAgent: request.headerFields[.userAgent],
                cookie: request.headerFields[.cookie]
            )
            // Before any rate decision: a client over its rate is still timed as what it asked for.
            self.open.append((requestClass, .now))
            self.executor?.carriesCheckout = requestClass == .checkout
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(let response):
            // Interim answers (100 Continue) do not end the exchange.
            if response.status.kind != .informational { self.counted = response.status.code < 400 }
        case .body:
            break
        case .end:
            if !self.open.isEmpty {
                let (requestClass, start) = self.open.removeFirst()
                if self.counted, let requestClass { self.times.record(requestClass, since: start) }
            }
        }
        context.write(data, promise: promise)
    }
}
