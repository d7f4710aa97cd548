import NIOCore

/// The peers whose word about a visitor the shop takes: `X-Forwarded-For` (who the client is) and
/// `Floodgate-Shed` (refuse this one) are heard only on connections from them.
///
/// `http.trust.forwarded` is `false` (nobody), `true` (any peer: only where nothing but the proxy can reach the
/// shop's port), or a list of addresses and networks, e.g. `127.0.0.1, 10.0.0.0/8, fd00::/8`.
public struct TrustedProxies: Sendable, Equatable {
    struct Network: Sendable, Equatable {
        /// 4 bytes for IPv4, 16 for IPv6.
        var bytes: [UInt8]
        var prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == self.bytes.count else { return false }
            var left = self.prefix
            for (a, b) in zip(address, self.bytes) where left > 0 {
                let bits = min(8, left)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != b & mask { return false }
                left -= bits
            }
            return true
        }
    }

    /// nil: any peer.
    let networks: [Network]?

    /// Any peer at all (`http.trust.forwarded=true`).
    public static let anyPeer = TrustedProxies(networks: nil)

    init(networks: [Network]?) {
        self.networks = networks
    }

    /// A comma-separated list of addresses (`127.0.0.1`, `::1`) and networks (`10.0.0.0/8`); nil if any entry is not one.
    public init?(list: String) {
        var networks: [Network] = []
        for entry in list.split(separator: ",") {
            let parts = entry.split(separator: "/", maxSplits: 1).map { String($0).trimmingSpaces }
            guard let bytes = Self.bytes(parts[0]) else { return nil }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...(bytes.count * 8)).contains(prefix) else { return nil }
            networks.append(Network(bytes: bytes, prefix: prefix))
        }
        guard !networks.isEmpty else { return nil }
        self.networks = networks
    }

    /// Whether the connection's peer is one of the trusted proxies.
    public func contains(_ peer: SocketAddress?) -> Bool {
        guard let networks = self.networks else { return true }
        guard let peer, let bytes = ClientKey.bytes(of: peer) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The bytes of an address written as text (``ClientKey/bytes(of:)``).
    static func bytes(_ text: String) -> [UInt8]? {
        (try? SocketAddress(ipAddress: text, port: 0)).flatMap(ClientKey.bytes(of:))
    }
}
