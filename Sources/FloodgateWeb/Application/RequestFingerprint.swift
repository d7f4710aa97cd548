import Crypto
import FloodgateCore
import Foundation

extension OrderRequest.Draft {
    /// SHA-256 of the request as parsed, so the same order sent with other spacing or key order is the
    /// same request for its idempotency key, and any real difference is not.
    func fingerprint() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return HexDigits.encode(SHA256.hash(data: try encoder.encode(self)))
    }
}

/// Compares secrets in time independent of where they differ. An empty secret matches nothing, not even
/// another empty one (a missing cookie and a missing field are not a match).
enum TokenCheck {
    static func matches(_ expected: String, _ given: String) -> Bool {
        let a = Array(expected.utf8), b = Array(given.utf8)
        guard !a.isEmpty, a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
