/// Unguessable hex strings for order tokens and form idempotency keys.
public enum RandomToken {
    /// `words × 16` hex characters from the system's secure generator.
    public static func hex(words: Int = 3) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<words).map { _ in HexDigits.encode(generator.next() as UInt64) }.joined()
    }
}
