import Configuration
import Foundation

/// Typed values with ranges: a value that is there but wrong is an error at start-up, never a quiet default
/// (`FLOODGATE_PORT=80a` must not start on 8080). Environment variables and `.env` lines arrive as text, so each
/// reader also takes the text form.
extension ConfigReader {
    /// A whole number in `range`, or `value` when absent.
    func wholeNumber(_ key: ConfigKey, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        let name = key.components.joined(separator: ".")
        if let number = self.int(forKey: key) {
            guard range.contains(number) else {
                throw ConfigError.invalid(
                    key: name, value: "\(number)", hint: "\(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        if let text = self.string(forKey: key) {
            throw ConfigError.invalid(
                key: name, value: text, hint: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A number of milliseconds in `range` as a duration, or `value` (milliseconds) when absent.
    func milliseconds(_ key: ConfigKey, default value: Int, in range: ClosedRange<Int>) throws -> Duration {
        .milliseconds(try self.wholeNumber(key, default: value, in: range))
    }

    /// A time in seconds (`30`, `2.5`) within `range`, or `value` when absent.
    func seconds(_ key: ConfigKey, default value: Double, in range: ClosedRange<Double>) throws -> Duration {
        let name = key.components.joined(separator: ".")
        let seconds: Double
        if let number = self.double(forKey: key) ?? self.int(forKey: key).map({ Double($0) }) {
            seconds = number
        } else if let text = self.string(forKey: key) {
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                throw ConfigError.invalid(
                    key: name, value: text, hint: "a number of seconds from \(range.lowerBound) to \(range.upperBound)")
            }
            seconds = number
        } else {
            seconds = value
        }
        guard range.contains(seconds) else {
            throw ConfigError.invalid(
                key: name, value: "\(seconds)",
                hint: "a number of seconds from \(range.lowerBound) to \(range.upperBound)")
        }
        return .milliseconds(Int((seconds * 1_000).rounded()))
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`), or `value` when absent.
    func flag(_ key: ConfigKey, default value: Bool) throws -> Bool {
        try self.flag(key) ?? value
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`), nil when absent.
    func flag(_ key: ConfigKey) throws -> Bool? {
        if let flag = self.bool(forKey: key) { return flag }
        guard let text = self.string(forKey: key) else { return nil }
        switch text.lowercased() {
        case "1", "yes", "on", "true": return true
        case "0", "no", "off", "false": return false
        default:
            throw ConfigError.invalid(key: key.components.joined(separator: "."), value: text, hint: "true or false")
        }
    }

    /// One of `choices`' raw values, or `value` when absent.
    func choice<Choice: RawRepresentable<String> & CaseIterable>(
        _ key: ConfigKey, default value: Choice
    ) throws -> Choice {
        guard let text = self.string(forKey: key) else { return value }
        guard let choice = Choice(rawValue: text) else {
            let names = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigError.invalid(key: key.components.joined(separator: "."), value: text, hint: "one of \(names)")
        }
        return choice
    }
}
