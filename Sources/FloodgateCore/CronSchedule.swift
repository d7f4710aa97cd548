import Foundation  // gmtime_r and timegm, from the C library Foundation brings

/// When a scheduled task runs: a cron expression, read in UTC.
///
/// Five fields (`minute hour day-of-month month day-of-week`) as in crontab, or six with seconds first
/// (`*/2 * * * * *` = every two seconds). Each field takes `*`, numbers, ranges `a-b`, steps `*/n` or
/// `a-b/n`, and lists `a,b`. As in cron, when both day fields are restricted a day matching either runs.
public struct CronSchedule: Hashable, Sendable, CustomStringConvertible {
    public let description: String
    private let seconds: Set<Int>
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let daysOfMonth: Set<Int>
    private let months: Set<Int>
    private let daysOfWeek: Set<Int>
    private let dayOfMonthRestricted: Bool
    private let dayOfWeekRestricted: Bool

    public init(_ expression: String) throws(CronError) {
        let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 || fields.count == 6 else {
            throw CronError(expression: expression, reason: "expected 5 or 6 fields")
        }
        let all = fields.count == 6 ? fields : ["0"] + fields
        self.description = fields.joined(separator: " ")
        self.seconds = try Self.field(all[0], 0...59, expression)
        self.minutes = try Self.field(all[1], 0...59, expression)
        self.hours = try Self.field(all[2], 0...23, expression)
        self.daysOfMonth = try Self.field(all[3], 1...31, expression)
        self.months = try Self.field(all[4], 1...12, expression)
        // 7 is Sunday too, as in most crons.
        self.daysOfWeek = Set(try Self.field(all[5], 0...7, expression).map { $0 % 7 })
        self.dayOfMonthRestricted = all[3] != "*"
        self.dayOfWeekRestricted = all[5] != "*"
    }

    /// The first time strictly after `after` (seconds since 1970) the schedule fires, or nil if it never
    /// does (e.g. `0 0 31 2 *`; the search gives up after a bounded number of steps).
    public func next(after: Int64) -> Int64? {
        var time = after + 1
        for _ in 0..<200_000 {
            var parts = tm()
            var raw = time_t(time)
            gmtime_r(&raw, &parts)
            if !self.months.contains(Int(parts.tm_mon) + 1) {
                parts.tm_mon += 1
                parts.tm_mday = 1
                parts.tm_hour = 0
                parts.tm_min = 0
                parts.tm_sec = 0
            } else if !self.dayMatches(day: Int(parts.tm_mday), weekday: Int(parts.tm_wday)) {
                parts.tm_mday += 1
                parts.tm_hour = 0
                parts.tm_min = 0
                parts.tm_sec = 0
            } else if !self.hours.contains(Int(parts.tm_hour)) {
                parts.tm_hour += 1
                parts.tm_min = 0
                parts.tm_sec = 0
            } else if !self.minutes.contains(Int(parts.tm_min)) {
                parts.tm_min += 1
                parts.tm_sec = 0
            } else if !self.seconds.contains(Int(parts.tm_sec)) {
                parts.tm_sec += 1
            } else {
                return time
            }
            time = Int64(timegm(&parts))
        }
        return nil
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        switch (self.dayOfMonthRestricted, self.dayOfWeekRestricted) {
        case (true, true): self.daysOfMonth.contains(day) || self.daysOfWeek.contains(weekday)
        case (true, false): self.daysOfMonth.contains(day)
        case (false, true): self.daysOfWeek.contains(weekday)
        case (false, false): true
        }
    }

    private static func field(
        _ text: String, _ range: ClosedRange<Int>, _ expression: String
    ) throws(CronError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first else {
                throw CronError(expression: expression, reason: "'\(part)' is not a field")
            }
            var step = 1
            if pieces.count == 2 {
                guard let n = Int(pieces[1]), n > 0 else {
                    throw CronError(expression: expression, reason: "'\(part)' has a bad step")
                }
                step = n
            }
            var bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else if let dash = base.firstIndex(of: "-") {
                guard let low = Int(base[..<dash]), let high = Int(base[base.index(after: dash)...]), low <= high else {
                    throw CronError(expression: expression, reason: "'\(part)' is not a range")
                }
                bounds = low...high
            } else {
                guard let value = Int(base) else {
                    throw CronError(expression: expression, reason: "'\(part)' is not a number")
                }
                // `5/15` means from 5 to the end in steps of 15.
                bounds = value...(pieces.count == 2 ? range.upperBound : value)
            }
            guard range.contains(bounds.lowerBound), range.contains(bounds.upperBound) else {
                throw CronError(
                    expression: expression, reason: "'\(part)' is outside \(range.lowerBound)-\(range.upperBound)")
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }
}

/// A cron expression that cannot be read.
public struct CronError: Error, Hashable, CustomStringConvertible {
    public let expression: String
    public let reason: String

    public var description: String { "Schedule '\(self.expression)' is not valid: \(self.reason)." }
}
