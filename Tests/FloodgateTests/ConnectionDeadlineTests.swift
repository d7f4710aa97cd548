import Configuration
import FloodgateApp
import FloodgateWeb
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Idle and slow connections are closed, so they cannot hold the connection cap (`http.connections.max`): a
/// request's head must come within the head timeout, the next request within the idle timeout.
@Suite("Connections that hold a place without using it are closed")
struct ConnectionDeadlineTests {
    /// Short timeouts, so each test takes about a second.
    static func short(_ config: inout AppSettings) {
        config.role = .web
        config.http.admission.headTimeout = .milliseconds(500)
        config.http.admission.idleTimeout = .milliseconds(800)
    }

    static let browser = "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120\r\n"

    @Test("A connection that sends nothing is closed after the head timeout")
    func silentConnectionIsClosed() async throws {
        try await TestServer.run(.sqlite, configure: Self.short) { server in
            let connection = try await RawConnection.open(to: server)
            let (received, closedAfter) = try await connection.readToClose { _ in }
            #expect(received.isEmpty)
            #expect(closedAfter >= .milliseconds(400) && closedAfter < .seconds(4), "closed after \(closedAfter)")
        }
    }

    @Test("A head sent a byte at a time (slowloris) is cut off at the head timeout, however steadily the bytes come")
    func slowHeadIsClosed() async throws {
        try await TestServer.run(.sqlite, configure: Self.short) { server in
            let connection = try await RawConnection.open(to: server)
            let (received, closedAfter) = try await connection.readToClose { outbound in
                try await outbound.write(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "))
                for _ in 0..<50 {
                    try await Task.sleep(for: .milliseconds(100))
                    try await outbound.write(ByteBuffer(string: "a"))
                }
            }
            #expect(!received.contains("200 OK"))
            #expect(closedAfter >= .milliseconds(400) && closedAfter < .seconds(4), "closed after \(closedAfter)")
        }
    }

    @Test("A body sent a byte at a time is cut off: it has the idle timeout and a second per KiB, however steady")
    func slowBodyIsClosed() async throws {
        // A head timeout well past the body's grace: a busy machine that sends the head late must not end the
        // connection by the head's clock, which would be measured here instead of the body's.
        try await TestServer.run(
            .sqlite,
            configure: {
                Self.short(&$0)
                $0.http.admission.headTimeout = .seconds(3)
            }
        ) { server in
            let connection = try await RawConnection.open(to: server)
            let (received, closedAfter) = try await connection.readToClose { outbound in
                try await outbound.write(
                    ByteBuffer(
                        string: "POST /api/v1/stores/petals/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nIdempotency-Key: slow-body\r\nContent-Length: 900\r\n\r\n{"
                    ))
                for _ in 0..<60 {
                    try await Task.sleep(for: .milliseconds(100))
                    try await outbound.write(ByteBuffer(string: " "))
                }
            }
            #expect(!received.contains("201"))
            // 0.8 s of grace and no whole KiB: closed well before the six seconds the trickle would take.
            #expect(closedAfter >= .milliseconds(700) && closedAfter < .seconds(4), "closed after \(closedAfter)")
        }
    }

    @Test("A kept-alive connection is closed after the idle timeout once it falls silent")
    func idleKeepAliveIsClosed() async throws {
        try await TestServer.run(
            .sqlite,
            configure: {
                Self.short(&$0)
                $0.http.admission.idleTimeout = .milliseconds(1_500)
            }
        ) { server in
            // The request must arrive within the 0.5 s head timeout; a machine busy with the whole suite can stall this
            // side for longer, and then the head timeout (rightly) ends the connection first. That is a late request,
            // not the behaviour under test: try again, a few times at most.
            var attempt = 0
            var connection: RawConnection
            var received = ""
            var answeredAt: Answered
            repeat {
                attempt += 1
                connection = try await RawConnection.open(to: server)
                let marker = Answered()
                (received, _) = try await connection.readToClose(
                    { outbound in
                        try await outbound.write(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                    },
                    onChunk: { text in if text.contains("\r\n\r\nok") { marker.mark() } }
                )
                answeredAt = marker
            } while !received.hasPrefix("HTTP/1.1 200") && attempt < 3
            #expect(received.hasPrefix("HTTP/1.1 200"))
            let silentFor = try await connection.closed.get() - (answeredAt.instant ?? connection.opened)
            // Measured from when this side read the answer, which a busy machine may delay: well past the head
            // timeout (0.5 s) is the idle timeout (1.5 s) at work.
            #expect(silentFor >= .milliseconds(900) && silentFor < .seconds(5), "closed after \(silentFor) of silence")
        }
    }

    @Test("A kept-alive connection in use is not cut, whether the router or the page cache answers")
    func busyKeepAliveStaysOpen() async throws {
        // Timeouts well above the 300 ms between requests, so a busy machine's late wake-ups cannot pass them.
        try await TestServer.run(
            .sqlite,
            configure: {
                Self.short(&$0)
                $0.http.admission.idleTimeout = .seconds(2)
                $0.http.admission.headTimeout = .seconds(1)
            }
        ) { server in
            let connection = try await RawConnection.open(to: server, limit: .seconds(60))
            let answers: Int = try await connection.channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                var text = ""
                // Fourteen requests 300 ms apart: over four seconds, well past both timeouts, on one connection.
                for index in 0..<14 {
                    let path = index.isMultiple(of: 2) ? "/healthz" : "/s/petals/"
                    try await outbound.write(
                        ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(Self.browser)\r\n"))
                    while text.components(separatedBy: "HTTP/1.1 200 OK").count - 1 < index + 1 {
                        guard let chunk = try await iterator.next() else {
                            return text.components(separatedBy: "HTTP/1.1 200 OK").count - 1
                        }
                        text += String(buffer: chunk)
                    }
                    try await Task.sleep(for: .milliseconds(300))
                }
                return text.components(separatedBy: "HTTP/1.1 200 OK").count - 1
            }
            #expect(answers == 14)
        }
    }

    @Test("The timeouts are read in seconds, with defaults of 30 and 10; nonsense is refused")
    func settingsAreRead() throws {
        func settings(_ values: [String: String]) throws -> AdmissionSettings {
            var all: [AbsoluteConfigKey: ConfigValue] = [:]
            for (key, value) in values {
                all[AbsoluteConfigKey(["floodgate"] + key.split(separator: ".").map(String.init))] = .init(
                    .string(value), isSecret: false)
            }
            return try AppSettings(reader: ConfigReader(provider: InMemoryProvider(values: all))).http.admission
        }
        let defaults = try settings([:])
        #expect(defaults.idleTimeout == .seconds(30))
        #expect(defaults.headTimeout == .seconds(10))
        let set = try settings(["http.idle-timeout": "2.5", "http.head-timeout": "2"])
        #expect(set.idleTimeout == .milliseconds(2_500))
        #expect(set.headTimeout == .seconds(2))
        for bad in ["0", "-1", "soon", "99999"] {
            #expect(throws: ConfigError.self, "\(bad)") { try settings(["http.idle-timeout": bad]) }
            #expect(throws: ConfigError.self, "\(bad)") { try settings(["http.head-timeout": bad]) }
        }
    }
}

/// A raw TCP connection to the test server, to send exactly the bytes (or the silence) a slow client would.
struct RawConnection: Sendable {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    let opened: ContinuousClock.Instant
    /// When the connection was closed, by either side.
    let closed: EventLoopFuture<ContinuousClock.Instant>

    /// Connects; a connection still open after `limit` is closed from this side, so a test fails instead of hanging.
    static func open(to server: TestServer, limit: TimeAmount = .seconds(10)) async throws -> RawConnection {
        let port = server.port
        // Taken before connecting: the server's clock starts after this, whatever a busy machine delays here.
        let opened = ContinuousClock.now
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(
            host: "127.0.0.1", port: port
        ) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        let raw = channel.channel
        _ = raw.eventLoop.scheduleTask(in: limit) { raw.close(promise: nil) }
        return RawConnection(channel: channel, opened: opened, closed: raw.closeFuture.map { _ in ContinuousClock.now })
    }

    /// Lets `talk` write (a write the closed connection refuses ends it), then reads until the connection closes:
    /// everything received, and how long after opening it closed.
    func readToClose(
        _ talk: (NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void, onChunk: ((String) -> Void)? = nil
    ) async throws -> (received: String, closedAfter: Duration) {
        try await self.channel.executeThenClose { inbound, outbound in
            do { try await talk(outbound) } catch {}
            var received = ""
            do {
                for try await chunk in inbound {
                    received += String(buffer: chunk)
                    onChunk?(received)
                }
            } catch {}
            return (received, try await self.closed.get() - self.opened)
        }
    }
}

/// When an answer was complete, as seen by the reading test.
final class Answered: Sendable {
    private let box = Mutex<ContinuousClock.Instant?>(nil)

    func mark() { self.box.withLock { if $0 == nil { $0 = ContinuousClock.now } } }
    var instant: ContinuousClock.Instant? { self.box.withLock { $0 } }
}
