/// An amount of money in integer minor units (kopecks, rappen) of one currency.
///
/// Floodgate never stores or computes money as floating point: totals are sums of integers.
public struct Money: Hashable, Sendable, Codable {
    /// The amount in the currency's minor unit (1/100 of the major unit for every currency we sell in).
    public var minorUnits: Int
    /// ISO 4217 code, e.g. `RUB` or `CHF`.
    public var currency: String

    public init(minorUnits: Int, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// `price × quantity`, in the same currency.
    public func times(_ quantity: Int) -> Money {
        Money(minorUnits: self.minorUnits * quantity, currency: self.currency)
    }

    /// How a customer reads the amount: `3 500 ₽`, `CHF 45.00`.
    public var formatted: String {
        let major = self.minorUnits / 100
        let minor = abs(self.minorUnits % 100)
        let sign = self.minorUnits < 0 ? "-" : ""
        switch self.currency {
        case "RUB":
            // Russian shops print whole roubles with a thin space between thousands.
            let whole = Self.grouped(abs(major), separator: "\u{202F}")
            let cents = minor == 0 ? "" : "," + Self.twoDigits(minor)
            return "\(sign)\(whole)\(cents)\u{00A0}₽"
        default:
            let whole = Self.grouped(abs(major), separator: "\u{2019}")
            return "\(self.currency)\u{00A0}\(sign)\(whole).\(Self.twoDigits(minor))"
        }
    }

    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    static func grouped(_ value: Int, separator: String) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += separator }
            out.append(digit)
        }
        return out
    }
}
