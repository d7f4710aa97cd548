import Crypto
import FloodgateCore
import Foundation

/// Time-based one-time passwords (RFC 6238): the six digits an authenticator app shows for a shared secret.
///
/// A code is accepted within `skew` steps of now either side (clocks drift), compared in constant time, and never
/// twice: ``verify(_:at:after:)`` refuses a step at or before the last one used, so a code seen over a shoulder
/// cannot be replayed within its window.
public struct TOTP: Sendable {
    /// The HMAC the codes are made with; authenticator apps assume SHA-1 unless told.
    public enum Algorithm: String, Sendable {
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha512 = "SHA512"
    }

    public let secret: [UInt8]
    public let digits: Int
    /// Seconds a code stands for.
    public let period: Int64
    public let algorithm: Algorithm
    /// Steps either side of now that are still accepted.
    public let skew: Int64

    public init(secret: [UInt8], digits: Int = 6, period: Int64 = 30, algorithm: Algorithm = .sha1, skew: Int64 = 1) {
        precondition(
            (6...8).contains(digits) && period > 0 && skew >= 0, "RFC 6238 codes: 6 to 8 digits, a positive period")
        self.secret = secret
        self.digits = digits
        self.period = period
        self.algorithm = algorithm
        self.skew = skew
    }

    /// A new random secret of 20 bytes (160 bits, as RFC 4226 recommends).
    public static func newSecret() -> [UInt8] { RandomToken.bytes(20) }

    /// The step a moment (seconds since 1970) falls in.
    public func step(at unixTime: Int64) -> Int64 {
        unixTime >= 0 ? unixTime / self.period : -1
    }

    /// The code of `step`, zero-padded to ``digits``.
    public func code(step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let key = SymmetricKey(data: self.secret)
        let mac: [UInt8] =
            switch self.algorithm {
            case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
            case .sha256: Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            case .sha512: Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
            }
        // Dynamic truncation (RFC 4226, 5.3).
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<self.digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: self.digits - text.count) + text
    }

    /// The code shown at `unixTime`.
    public func code(at unixTime: Int64) -> String {
        self.code(step: self.step(at: unixTime))
    }

    /// The step `code` was made for, if it is one of the steps within ``skew`` of `unixTime` and later than
    /// `lastUsed` (the step of the last code accepted for this secret); nil otherwise. Every candidate is compared,
    /// in constant time, so the answer's timing tells nothing of which step was near.
    public func verify(_ code: String, at unixTime: Int64, after lastUsed: Int64?) -> Int64? {
        let given = code.filter { $0 != " " }
        guard given.utf8.count == self.digits else { return nil }
        let now = self.step(at: unixTime)
        var matched: Int64?
        for step in (now - self.skew)...(now + self.skew) where step >= 0 {
            if TokenCheck.matches(self.code(step: step), given), lastUsed.map({ step > $0 }) ?? true {
                matched = step
            }
        }
        return matched
    }

    /// The `otpauth://` link an authenticator app reads from a QR code.
    public func link(issuer: String, account: String) -> String {
        // RFC 3986's unreserved characters stand as they are; everything else is percent-encoded.
        func escaped(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? text
        }
        return
            "otpauth://totp/\(escaped(issuer)):\(escaped(account))?secret=\(Base32.encode(self.secret, padding: false))"
            + "&issuer=\(escaped(issuer))&algorithm=\(self.algorithm.rawValue)&digits=\(self.digits)&period=\(self.period)"
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )
}
