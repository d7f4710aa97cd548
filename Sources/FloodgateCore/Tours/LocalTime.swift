import Foundation

/// The current date and time on a store's wall clock, in the forms delivery windows are stored in.
public struct LocalTime: Hashable, Sendable {
    /// `YYYY-MM-DD`
    public var date: String
    /// `HH:MM`
    public var time: String

    public init(date: String, time: String) {
        self.date = date
        self.time = time
    }

    /// Now in the given IANA time zone (UTC if the zone is unknown).
    public static func now(in timeZone: String, at instant: Date = Date()) -> LocalTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        // Padded by hand: `String(format:)` costs microseconds on every checkout and catalog render.
        return LocalTime(
            date: "\(Self.padded(parts.year!, 4))-\(Self.padded(parts.month!, 2))-\(Self.padded(parts.day!, 2))",
            time: "\(Self.padded(parts.hour!, 2)):\(Self.padded(parts.minute!, 2))"
        )
    }

    static func padded(_ value: Int, _ width: Int) -> String { CivilDate.padded(value, width) }

    /// The local date `days` after this one.
    public static func date(daysFromNow days: Int, in timeZone: String) -> String {
        LocalTime.now(in: timeZone, at: Date().addingTimeInterval(Double(days) * 86_400)).date
    }
}
