import FloodgateWeb
import NIOCore
import Testing

@Suite("Per-client limits count an IPv6 client by its /64")
struct ClientKeyTests {
    @Test("Addresses of one /64 share a key; the next /64 has its own")
    func ipv6ByNetwork() throws {
        let first = ClientKey.key(for: "2001:db8:1:2::1")
        #expect(first == "2001:db8:1:2::/64")
        for same in ["2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0db8:0001:0002:0:0:0:9", "2001:DB8:1:2:abcd::42"] {
            #expect(ClientKey.key(for: same) == first, "\(same)")
        }
        for other in ["2001:db8:1:3::1", "2001:db8:2:2::1", "2001:db9:1:2::1"] {
            #expect(ClientKey.key(for: other) != first, "\(other)")
        }
        #expect(ClientKey.key(for: try SocketAddress(ipAddress: "2001:db8:1:2:dead:beef::7", port: 443)) == first)
    }

    @Test("IPv4 addresses are counted one by one, also when a dual-stack socket writes them as IPv6")
    func ipv4ByAddress() throws {
        #expect(ClientKey.key(for: "203.0.113.7") == "203.0.113.7")
        #expect(ClientKey.key(for: "203.0.113.8") != ClientKey.key(for: "203.0.113.7"))
        #expect(ClientKey.key(for: "::ffff:203.0.113.7") == "203.0.113.7")
        #expect(ClientKey.key(for: "::ffff:203.0.113.8") == "203.0.113.8", "mapped IPv4 clients do not share one /64")
        #expect(ClientKey.key(for: try SocketAddress(ipAddress: "::ffff:198.51.100.1", port: 50_000)) == "198.51.100.1")
        #expect(ClientKey.key(for: try SocketAddress(ipAddress: "198.51.100.1", port: 50_000)) == "198.51.100.1")
    }

    @Test("Text that is not an address is its own key, cut short")
    func notAnAddress() {
        #expect(ClientKey.key(for: "unknown") == "unknown")
        #expect(ClientKey.key(for: String(repeating: "x", count: 500)).count == 64)
    }

    @Test("Behind a trusted proxy, requests from one /64 share a bucket; another /64 is served")
    func bucketsAreShared() async throws {
        try await TestServer.run(
            .sqlite,
            configure: {
                $0.role = .web
                $0.http.admission.trustForwarded = true
                // No token comes back while the test runs: 3 in the bucket, then 429.
                $0.http.admission.clientRate = 0.001
                $0.http.admission.clientBurst = 3
                $0.http.admission.clientDebt = 0
            }
        ) { server in
            let browser = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
            var statuses: [Int] = []
            for address in [
                "2001:db8:7:7::1", "2001:db8:7:7::2", "2001:db8:7:7:ffff::1", "2001:db8:7:7:abcd:ef01:2345:6789",
            ] {
                statuses.append(
                    try await server.get("/api/v1/stores", headers: [browser, ("X-Forwarded-For", address)]).status)
            }
            #expect(statuses == [200, 200, 200, 429], "four addresses of one /64: one client")
            #expect(
                try await server.get("/api/v1/stores", headers: [browser, ("X-Forwarded-For", "2001:db8:7:8::1")])
                    .status == 200)
            #expect(
                try await server.get("/api/v1/stores", headers: [browser, ("X-Forwarded-For", "203.0.113.9")]).status
                    == 200)
        }
    }
}
