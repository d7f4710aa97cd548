/// An area a store delivers to: a name, the postcodes (or districts) it covers and an optional delivery fee.
public struct Zone: Hashable, Sendable, Codable {
    public var id: Int
    public var storeID: Int
    public var name: String
    /// Normalised codes (upper case, no spaces); one ending in `*` covers every code it begins.
    public var postcodes: [String]
    /// Delivery fee in minor units, added to an order's total.
    public var fee: Int

    public init(id: Int, storeID: Int, name: String, postcodes: [String], fee: Int) {
        self.id = id
        self.storeID = storeID
        self.name = name
        self.postcodes = postcodes
        self.fee = fee
    }

    /// Whether this zone covers a postcode or district as a customer typed it.
    public func covers(_ postcode: String) -> Bool {
        let code = Self.normalise(postcode)
        guard !code.isEmpty else { return false }
        return self.postcodes.contains { pattern in
            pattern.hasSuffix("*") ? code.hasPrefix(pattern.dropLast()) : code == pattern
        }
    }

    /// Upper case without spaces: `sw1a 1aa` and `SW1A1AA` are one code.
    public static func normalise(_ postcode: String) -> String {
        String(postcode.uppercased().filter { !$0.isWhitespace })
    }

    /// Codes from a list typed by staff: separated by commas, semicolons or new lines.
    public static func parse(postcodes text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }).map { Self.normalise(String($0)) }.filter
        { !$0.isEmpty }
    }
}

extension Array where Element == Zone {
    /// The first zone covering a postcode, if any.
    public func zone(for postcode: String) -> Zone? { self.first { $0.covers(postcode) } }

    /// The names of the zones with these ids, `North, Centre`; `everywhere` (or empty) for none.
    public func names(of ids: [Int], everywhere: String = "") -> String {
        guard !ids.isEmpty else { return everywhere }
        return ids.compactMap { id in self.first { $0.id == id }?.name }.joined(separator: ", ")
    }
}
