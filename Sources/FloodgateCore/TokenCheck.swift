/// Compares secrets in time independent of where they differ. An empty secret matches nothing, not even
/// another empty one (a missing cookie and a missing field are not a match).
public enum TokenCheck {
    public static func matches(_ expected: String, _ given: String) -> Bool {
        let a = Array(expected.utf8), b = Array(given.utf8)
        guard !a.isEmpty, a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
