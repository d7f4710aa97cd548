import Foundation

/// When access given "until" a date ends.
public enum AccessEnd {
    /// `2026-02-20`: the end of that day where the store is (contractors work to the end of the day named);
    /// `2026-02-20T18:00` or with an offset (`…+03:00`, `…Z`): that moment, in the store's time unless an offset
    /// says otherwise. Milliseconds since 1970; nil for anything else.
    public static func millis(from text: String, in timeZone: TimeZone) -> Int64? {
        let text = text.trimmingSpaces
        if let date = CivilDate(text) {
            return Self.millis(date.adding(days: 1), hour: 0, minute: 0, in: timeZone)
        }
        let parts = text.split(separator: "T", maxSplits: 1).map(String.init)
        guard parts.count == 2, let date = CivilDate(parts[0]) else { return nil }
        var clock = parts[1]
        var zone = timeZone
        if clock.hasSuffix("Z") {
            clock.removeLast()
            zone = TimeZone(identifier: "UTC") ?? timeZone
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = clock[clock.index(after: sign)...].split(separator: ":").compactMap { Int($0) }
            guard offset.count == 2,
                let given = TimeZone(
                    secondsFromGMT: (clock[sign] == "-" ? -1 : 1) * (offset[0] * 3_600 + offset[1] * 60))
            else { return nil }
            zone = given
            clock = String(clock[..<sign])
        }
        let hm = clock.split(separator: ":").compactMap { Int($0) }
        guard hm.count == 2, (0..<24).contains(hm[0]), (0..<60).contains(hm[1]) else { return nil }
        return Self.millis(date, hour: hm[0], minute: hm[1], in: zone)
    }

    /// That local time of `date` in `zone`, in milliseconds since 1970.
    public static func millis(_ date: CivilDate, hour: Int, minute: Int, in zone: TimeZone) -> Int64? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let (year, month, day) = date.components
        guard
            let moment = calendar.date(
                from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))
        else { return nil }
        return Int64((moment.timeIntervalSince1970 * 1_000).rounded())
    }

    /// How an end reads in lists, in `zone`: `2026-02-20 18:00 MSK`, or `2026-02-20 (to the end of the day)`
    /// for the midnight that ends the day a date names.
    public static func text(_ millis: Int64, in zone: TimeZone) -> String {
        if let day = Self.dayEnded(by: millis, in: zone) { return "\(day) (to the end of the day)" }
        return Self.format(millis, "yyyy-MM-dd HH:mm zzz", in: zone)
    }

    /// The date whose end `millis` is (local midnight), for a date field; otherwise the date it falls on.
    public static func dateValue(_ millis: Int64, in zone: TimeZone) -> String {
        Self.dayEnded(by: millis, in: zone) ?? Self.format(millis, "yyyy-MM-dd", in: zone)
    }

    static func dayEnded(by millis: Int64, in zone: TimeZone) -> String? {
        guard Self.format(millis, "HH:mm", in: zone) == "00:00" else { return nil }
        return Self.format(millis - 1, "yyyy-MM-dd", in: zone)
    }

    static func format(_ millis: Int64, _ pattern: String, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1_000))
    }
}
