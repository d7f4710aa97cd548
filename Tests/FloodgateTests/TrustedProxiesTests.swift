import Configuration
import FloodgateApp
import FloodgateTestSupport
import NIOCore
import Testing

@testable import FloodgateWeb

/// Issue 22: a proxy's headers (`X-Forwarded-For`, `Floodgate-Shed`) are heard only from the proxies' own addresses.
@Suite("Trusted proxies")
struct TrustedProxiesTests {
    static func peer(_ text: String) throws -> SocketAddress { try SocketAddress(ipAddress: text, port: 40_000) }

    @Test("A list of addresses and networks, IPv4 and IPv6; anything else is not a list")
    func lists() throws {
        let proxies = try #require(TrustedProxies(list: "127.0.0.1, 10.0.0.0/8, fd00::/8"))
        #expect(proxies.contains(try Self.peer("127.0.0.1")))
        #expect(proxies.contains(try Self.peer("10.200.3.4")))
        #expect(proxies.contains(try Self.peer("::ffff:10.1.2.3")), "IPv4 in IPv6 form")
        #expect(proxies.contains(try Self.peer("fd12:3456::1")))
        #expect(!proxies.contains(try Self.peer("127.0.0.2")))
        #expect(!proxies.contains(try Self.peer("11.0.0.1")))
        #expect(!proxies.contains(try Self.peer("fe80::1")))
        #expect(!proxies.contains(nil))
        for text in ["true", "", "10.0.0.0/33", "10.0.0.0/x", "example.com", "10.0.0.1,"] where !text.hasSuffix(",") {
            #expect(TrustedProxies(list: text) == nil, "\(text)")
        }
        #expect(TrustedProxies.anyPeer.contains(try Self.peer("203.0.113.9")))
    }

    @Test("http.trust.forwarded takes true, false or a list")
    func settings() throws {
        func read(_ value: String) throws -> AdmissionSettings {
            let key = AbsoluteConfigKey(["floodgate", "http", "trust", "forwarded"])
            return try AppSettings(
                reader: ConfigReader(provider: InMemoryProvider(values: [key: .init(.string(value), isSecret: false)]))
            ).http.admission
        }
        #expect(try read("false").trusts(try Self.peer("127.0.0.1")) == false)
        #expect(try read("true").trusts(try Self.peer("203.0.113.9")))
        let listed = try read("192.0.2.1,10.0.0.0/8")
        let inside = try Self.peer("10.9.9.9"), outside = try Self.peer("127.0.0.1")
        #expect(listed.trusts(inside) && !listed.trusts(outside))
        #expect(throws: (any Error).self) { try read("maybe") }
    }

    @Test(
        "From a peer that is not a listed proxy, Floodgate-Shed and X-Forwarded-For are a visitor's words: ignored",
        arguments: TestEngine.available)
    func untrustedPeerIsNotHeard(engine: TestEngine) async throws {
        try await TestServer.run(
            engine,
            configure: {
                $0.http.admission.trustForwarded = true
                $0.http.admission.trustedProxies = TrustedProxies(list: "192.0.2.1")!
                $0.http.admission.clientRate = 0.01
                $0.http.admission.clientBurst = 2
                $0.http.admission.clientDebt = 0
            }
        ) { server in
            let browser = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
            #expect(try await server.get("/s/petals/cart", headers: [browser, ("Floodgate-Shed", "7")]).status == 200)
            // A new X-Forwarded-For address for each request does not make a new client: the third is over the burst.
            var statuses: [Int] = []
            for index in 0..<3 {
                statuses.append(
                    try await server.get(
                        "/s/petals/cart", headers: [browser, ("X-Forwarded-For", "198.51.100.\(index)")]
                    ).status)
            }
            #expect(statuses.last == 429, "\(statuses)")
        }
    }
}
