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
        return LocalTime(
            date: String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!),
            time: String(format: "%02d:%02d", parts.hour!, parts.minute!)
        )
    }

    /// The local date `days` after this one.
    public static func date(daysFromNow days: Int, in timeZone: String) -> String {
        LocalTime.now(in: timeZone, at: Date().addingTimeInterval(Double(days) * 86_400)).date
    }
}
