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
