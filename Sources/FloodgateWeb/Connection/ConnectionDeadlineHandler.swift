import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes an HTTP connection that holds one of the server's places (``AdmissionSettings/maxConnections``) without
/// using it, so a few thousand idle or slow sockets cannot keep customers out:
///
/// - a new connection must deliver a request's head within the head timeout of opening (slowloris);
/// - after an answer, the next request must begin within the idle timeout, and once its first byte is in, its
///   head must be complete within the head timeout;
/// - a request's body must come within the idle timeout of its head, plus a second for each KiB of it: a body
///   sent a byte at a time cannot hold a checkout's place at the door (it is read inside the door) for long.
///
/// While the shop works on a request (its head and body read, its answer not ended) no clock runs: the request's
/// own deadline (``AdmissionSettings/deadline``) bounds it.
///
/// It goes first among the additional handlers, so it sees every request part and every answer, the ones the
/// ``CachedPageHandler`` gives on the connection too. Hummingbird's own `idleTimeout` sits behind those handlers
/// and does not see their answers, and it cannot tell a connection that sends nothing from one that sends a head a
/// byte at a time; the first byte of a request is seen here by a small handler in front of the HTTP decoder.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let idleTimeout: TimeAmount
    private let headTimeout: TimeAmount
    /// The longest a timer is set for. Every deadline is set at least this far ahead, so a timer already running
    /// fires before any deadline set after it, and none is ever cancelled (cancelling searches the event loop's
    /// whole queue of timers); a timer that finds its deadline moved on is set again.
    private let step: TimeAmount
    /// Requests whose head was read and whose answer has not ended yet.
    private var open = 0
    /// A request's body is still coming.
    private var readingBody = false
    /// When the current request's head was read, and how many body bytes have come since.
    private var headAt = NIODeadline.now()
    private var bodyBytes = 0
    /// Waiting for the next request, none of it read yet: its first byte starts the head timeout.
    private var idle = false
    /// When the connection is closed unless something happens first; nil while the shop is answering.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(settings: AdmissionSettings) {
        let idle = TimeAmount(settings.idleTimeout)
        let head = TimeAmount(settings.headTimeout)
        self.idleTimeout = idle
        self.headTimeout = head
        self.step = min(idle, head)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // The first request's head is due from the connection's opening, whether or not a byte of it comes.
        self.deadline = NIODeadline.now() + self.headTimeout
        self.arm()
        do {
            try context.pipeline.syncOperations.addHandler(FirstByteWatch(owner: self), position: .first)
        } catch {
            // Without the watch an idle wait stays an idle wait: still bounded, by the idle timeout.
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A running timer is left to fire and find nothing to do, rather than cancelled (see `step`).
        self.deadline = nil
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.deadline = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head:
            self.open += 1
            self.readingBody = true
            self.idle = false
            self.headAt = NIODeadline.now()
            self.bodyBytes = 0
            self.deadline = self.headAt + self.idleTimeout
            self.arm()
        case .body(let part):
            if self.readingBody {
                // At least 1 KiB a second on average, after the idle timeout's grace: never reset by a trickle.
                self.bodyBytes += part.readableBytes
                self.deadline = self.headAt + self.idleTimeout + .seconds(Int64(self.bodyBytes / 1_024))
            }
        case .end:
            self.readingBody = false
            // Answered before its body was all in (a refusal): the connection waits for its next request now.
            if self.open == 0 { self.waitForNextRequest() } else { self.deadline = nil }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = self.unwrapOutboundIn(data) {
            self.open = max(0, self.open - 1)
            if !self.readingBody, self.open == 0 { self.waitForNextRequest() }
        }
        context.write(data, promise: promise)
    }

    /// Kept alive after an answer: the next request has the idle timeout to begin.
    private func waitForNextRequest() {
        self.idle = true
        self.deadline = NIODeadline.now() + self.idleTimeout
        self.arm()
    }

    /// Bytes came in, before the HTTP decoder has read them (``FirstByteWatch``).
    fileprivate func bytesArrived() {
        guard self.idle else { return }
        self.idle = false
        self.deadline = NIODeadline.now() + self.headTimeout
        self.arm()
    }

    /// Sets a timer, unless one is running: it fires at the deadline or within `step`, whichever comes first.
    private func arm() {
        guard self.timer == nil, let context = self.context, let deadline = self.deadline else { return }
        let at = min(deadline, NIODeadline.now() + self.step)
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: at) { self.fire() }
    }

    private func fire() {
        self.timer = nil
        guard let context = self.context, let deadline = self.deadline else { return }
        if deadline <= NIODeadline.now() {
            self.deadline = nil
            context.close(promise: nil)
        } else {
            self.arm()
        }
    }
}

@available(*, unavailable)
extension ConnectionDeadlineHandler: Sendable {}

/// Sits in front of the HTTP decoder and tells its ``ConnectionDeadlineHandler`` that bytes came in: the first
/// byte of a request after an idle wait starts its head timeout.
private final class FirstByteWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let owner: ConnectionDeadlineHandler

    init(owner: ConnectionDeadlineHandler) {
        self.owner = owner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.owner.bytesArrived()
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension FirstByteWatch: Sendable {}
