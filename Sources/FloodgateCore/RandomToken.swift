/// Unguessable hex strings for order tokens and form idempotency keys.
public enum RandomToken {
    /// `words × 16` hex characters from the system's secure generator.
    public static func hex(words: Int = 3) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<words).map { _ in HexDigits.encode(generator.next() as UInt64) }.joined()
    }

    /// `count` bytes from the system's secure generator.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
