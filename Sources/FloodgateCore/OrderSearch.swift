/// What the back-office's order search looks in: words of the customer's and recipient's names, and their
/// phone numbers from the start and from the end, as index-friendly tokens.
///
/// A search word matches a token that begins with it; so a name is found by any of its words or their
/// beginnings (`petr` finds Petrova), and a phone by its first digits (`7495…`) or its last (`…4567`).
public enum OrderSearch {
    /// The tokens stored for an order.
    public static func tokens(names: [String], phones: [String]) -> Set<String> {
        var tokens: Set<String> = []
        for name in names {
            for word in Self.words(name).prefix(6) { tokens.insert("n:" + word) }
        }
        for phone in phones {
            let digits = String(phone.filter(\.isASCIIDigit))
            guard !digits.isEmpty else { continue }
            tokens.insert("p:" + digits)
            tokens.insert("r:" + String(digits.reversed()))
        }
        return tokens
    }

    /// For what staff typed: per word, the token range `[low, high)` it matches (a phone query: the digits
    /// from the start or from the end). Every range must match for an order to be found.
    public static func ranges(for text: String) -> [[(low: String, high: String)]] {
        // Words of digits only are a phone number (`+7 495 123-45-67`, `45-67`) when they hold three digits or
        // more together; fewer are words of a name like any other.
        let words = Self.words(text)
        let numeric = words.filter { $0.allSatisfy(\.isASCIIDigit) }
        let digits = numeric.joined()
        var ranges = (digits.count >= 3 ? words.filter { !numeric.contains($0) } : words).prefix(4).map {
            [Self.range("n:" + $0)]
        }
        if digits.count >= 3 {
            ranges.append([Self.range("p:" + digits), Self.range("r:" + String(digits.reversed()))])
        }
        return ranges
    }

    /// Lower-cased words of letters and digits.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Every string that begins with `prefix`: from it up to (not including) the prefix with its last
    /// character stepped up — in code-point order, which both engines use for this column.
    static func range(_ prefix: String) -> (low: String, high: String) {
        var scalars = Array(prefix.unicodeScalars)
        let last = scalars.removeLast()
        let next = Unicode.Scalar(last.value + 1) ?? last
        return (prefix, String(String.UnicodeScalarView(scalars)) + String(next))
    }
}
