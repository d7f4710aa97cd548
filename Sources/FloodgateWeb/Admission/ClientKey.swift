import FloodgateCore
import NIOCore

/// The name per-client limits count a client by: an IPv4 address as it is, an IPv6 address by its /64 network.
///
/// One IPv6 subscriber usually holds a whole /64 and may use any of its 2⁶⁴ addresses; counted by address, each
/// request could come from a fresh one and never meet a limit. An IPv4 address written in IPv6 form
/// (`::ffff:203.0.113.7`, as a dual-stack socket reports IPv4 peers) is the IPv4 address: it must not share one
/// bucket with every other IPv4 client.
public enum ClientKey {
    /// The key of the client at `address`; `unknown` for what is not an IP address (a Unix socket).
    public static func key(for address: SocketAddress) -> String {
        guard let bytes = Self.bytes(of: address) else { return "unknown" }
        guard bytes.count == 16 else { return bytes.map { String($0) }.joined(separator: ".") }
        let groups = stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return groups.joined(separator: ":") + "::/64"
    }

    /// The key of the client at `text`, an address as a proxy writes it in `X-Forwarded-For`; text that is not
    /// an IP address is its own key (at most 64 characters of it).
    public static func key(for text: String) -> String {
        let trimmed = text.trimmingSpaces
        guard let address = try? SocketAddress(ipAddress: trimmed, port: 0) else { return String(trimmed.prefix(64)) }
        return Self.key(for: address)
    }

    /// An IP address's bytes: 4 for IPv4, also when written in IPv6 form (`::ffff:a.b.c.d`), 16 for IPv6; nil for
    /// what is not an IP address (a Unix socket).
    static func bytes(of address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let bytes: [UInt8] = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                return Array(bytes[12...])
            }
            return bytes
        case .unixDomainSocket:
            return nil
        }
    }
}
