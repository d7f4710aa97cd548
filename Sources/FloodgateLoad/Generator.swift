import NIOCore
import NIOHTTP1
import NIOPosix

/// Offers requests to the shop over keep-alive HTTP/1.1 connections, all on one event loop (so the
/// generator takes at most one core and needs no locks).
///
/// Open loop (`rate`): arrivals are due at a fixed rate whatever the answers do; each goes out on an idle
/// connection, a new one if none is idle, or — at `maxConnections` — is counted as not offered. Closed loop
/// (`closed` > 0): that many connections each send their next request as soon as the last is answered.
final class Generator: @unchecked Sendable {
    // @unchecked: every mutable property is touched only on `loop`.
    let loop: any EventLoop
    let host: String
    let port: Int
    var mix: RequestMix
    let humanRate: Double
    let botRate: Double
    let maxConnections: Int
    /// How long answers still out at the end are waited for.
    let drain: TimeAmount = .seconds(10)

    var tally = Tally()
    private var idle: [any Channel] = []
    private var connections = 0
    private var humansSent = 0
    private var botsSent = 0
    private var started = NIODeadline.now()
    private var lastTick: NIODeadline?
    private var stopping = false

    init(
        loop: any EventLoop, host: String, port: Int, mix: RequestMix, humanRate: Double, botRate: Double,
        maxConnections: Int
    ) {
        self.loop = loop
        self.host = host
        self.port = port
        self.mix = mix
        self.humanRate = humanRate
        self.botRate = botRate
        self.maxConnections = maxConnections
    }

    /// Runs for `duration`, then waits `drain` for answers still out (those are counted unanswered) and returns the tally.
    func run(duration: TimeAmount, closed: Int) -> EventLoopFuture<Tally> {
        self.loop.flatSubmit {
            self.started = .now()
            let promise = self.loop.makePromise(of: Tally.self)
            if closed > 0 {
                for _ in 0..<closed { self.send(self.mix.human()) }
            } else {
                let ticker = self.loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { _ in
                    self.tick()
                }
                self.loop.scheduleTask(in: duration) { ticker.cancel() }
            }
            self.loop.scheduleTask(in: duration) {
                self.stopping = true
                // Answers already on their way are waited for (they count, late as they are); then every connection closes.
                self.loop.scheduleTask(in: self.drain) {
                    for channel in self.idle { channel.close(promise: nil) }
                    promise.succeed(self.tally)
                }
            }
            return promise.futureResult
        }
    }

    private func tick() {
        guard !self.stopping else { return }
        let now = NIODeadline.now()
        if let last = self.lastTick {
            _ = self.tally.tickLateness.record(UInt64(max(0, (now - last).nanoseconds / 1_000 - 1_000)))
        }
        self.lastTick = now
        let elapsed = Double((NIODeadline.now() - self.started).nanoseconds) / 1e9
        while Double(self.humansSent) < elapsed * self.humanRate {
            self.humansSent += 1
            if self.saturated { self.notOffered(self.mix.humanClass()) } else { self.send(self.mix.human()) }
        }
        while Double(self.botsSent) < elapsed * self.botRate {
            self.botsSent += 1
            if self.saturated { self.notOffered(.bot) } else { self.send(self.mix.bot()) }
        }
    }

    /// Every connection busy and no more allowed: an arrival now cannot be handed over.
    private var saturated: Bool { self.idle.isEmpty && self.connections >= self.maxConnections }

    /// Counted without building the request, so a saturated generator does not spend the machine's cores on
    /// requests it will never send (that would be taken from the shop it measures).
    private func notOffered(_ loadClass: LoadClass) {
        self.tally.classes[loadClass.rawValue].offered += 1
        self.tally.classes[loadClass.rawValue].notOffered += 1
    }

    private func send(_ request: (LoadClass, HTTPRequestHead, ByteBuffer?)) {
        self.tally.classes[request.0.rawValue].offered += 1
        if let channel = self.idle.popLast() {
            self.write(request, on: channel)
        } else if self.connections < self.maxConnections {
            self.connections += 1
            ClientBootstrap(group: self.loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ExchangeHandler(generator: self))
                    }
                }
                .connect(host: self.host, port: self.port)
                .whenComplete { result in
                    switch result {
                    case .success(let channel): self.write(request, on: channel)
                    case .failure:
                        self.connections -= 1
                        self.tally.failed(request.0)
                    }
                }
        } else {
            self.tally.classes[request.0.rawValue].notOffered += 1
        }
    }

    private func write(_ request: (LoadClass, HTTPRequestHead, ByteBuffer?), on channel: any Channel) {
        guard let handler = try? channel.pipeline.syncOperations.handler(type: ExchangeHandler.self) else {
            // The connection is going away under us: count the request as failed, never hang on it.
            self.tally.failed(request.0)
            return
        }
        handler.begin(request.0)
        channel.write(HTTPClientRequestPart.head(request.1), promise: nil)
        if let body = request.2 { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    /// A connection's answer is in: count it and give the connection its next request.
    fileprivate func finished(
        _ loadClass: LoadClass, status: Int, microseconds: UInt64, channel: any Channel, closed: Bool
    ) {
        self.tally.answered(loadClass, status: status, microseconds: microseconds)
        self.release(channel, closed: closed)
    }

    fileprivate func broke(_ loadClass: LoadClass?, channel: any Channel) {
        if let loadClass { self.tally.failed(loadClass) }
        self.connections -= 1
        self.idle.removeAll { $0 === channel }
    }

    private func release(_ channel: any Channel, closed: Bool) {
        if closed || self.stopping {
            return
        }
        if self.humanRate == 0, self.botRate == 0 {
            // Closed loop: straight on with the next request.
            self.write(self.next(), on: channel)
        } else {
            self.idle.append(channel)
        }
    }

    private func next() -> (LoadClass, HTTPRequestHead, ByteBuffer?) {
        let request = self.mix.human()
        self.tally.classes[request.0.rawValue].offered += 1
        return request
    }
}

/// One connection's exchange in flight: its class, start and status.
private final class ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    let generator: Generator
    private var current: LoadClass?
    private var started = NIODeadline.now()
    private var status = 0
    private var keepAlive = true
    private var timer: Scheduled<Void>?

    init(generator: Generator) {
        self.generator = generator
    }

    func begin(_ loadClass: LoadClass) {
        self.current = loadClass
        self.started = .now()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.status = Int(head.status.code)
            self.keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            guard let loadClass = self.current else { return }
            self.current = nil
            let micros = UInt64(max(0, (NIODeadline.now() - self.started).nanoseconds / 1_000))
            if !self.keepAlive { context.close(promise: nil) }
            self.generator.finished(
                loadClass, status: self.status, microseconds: micros, channel: context.channel, closed: !self.keepAlive)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let loadClass = self.current
        self.current = nil
        self.generator.broke(loadClass, channel: context.channel)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
