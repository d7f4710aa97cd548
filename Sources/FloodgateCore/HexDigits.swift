/// Lower-case hex, written by hand: order fingerprints, tokens and page tags are made on hot paths, where
/// `String(format:)` costs microseconds a call.
public enum HexDigits {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two digits a byte.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(Self.digits[Int(byte >> 4)])
            out.append(Self.digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Sixteen digits, most significant first (leading zeros kept).
    public static func encode(_ value: UInt64) -> String {
        Self.encode(stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: value >> UInt64($0)) })
    }
}
