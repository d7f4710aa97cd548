/// The number a customer quotes on the phone: the store's prefix and the order's row id, e.g. `PE-1042`.
///
/// Deriving it from the row id (rather than a per-store counter row) keeps placing orders free of a
/// single hot row that every checkout would have to lock. Numbers are unique and rising; a refused
/// order may leave a gap.
public enum OrderNumber {
    /// Row ids start at 1; numbers start at 1001 so the first order does not look like the shop's first.
    static let offset = 1_000

    public static func make(prefix: String, id: Int) -> String {
        "\(prefix)-\(id + Self.offset)"
    }

    /// The row id a number names, if the number is well-formed and carries this prefix.
    public static func id(in number: String, prefix: String) -> Int? {
        guard number.hasPrefix(prefix + "-"), let value = Int(number.dropFirst(prefix.count + 1)), value > Self.offset
        else {
            return nil
        }
        return value - Self.offset
    }
}
