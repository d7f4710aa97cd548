import FloodgateCore
import Testing

@Suite("Cron schedules")
struct CronScheduleTests {
    // 2026-02-14 09:30:00 UTC, a Saturday.
    let valentines: Int64 = 1_771_061_400

    static let cases: [(String, Int64)] = [
        ("* * * * *", 60),
        ("*/15 * * * *", 900),
        ("17 3 * * *", 64_020),  // 17 h 47 min later, the next night
        ("*/2 * * * * *", 2),
        ("30 9 * * 1", 172_800),  // Monday
        ("0 0 1 3 *", 1_261_800),  // 14 days 14.5 hours
    ]

    @Test("Next fire times of common schedules", arguments: Self.cases)
    func next(expression: String, after seconds: Int64) throws {
        #expect(try CronSchedule(expression).next(after: self.valentines) == self.valentines + seconds)
    }

    @Test("Either day field matches when both are restricted")
    func dayFields() throws {
        // The 15th or any Monday: Sunday the 15th comes first.
        #expect(
            try CronSchedule("0 0 15 * 1").next(after: self.valentines) == self.valentines + 86_400 - 9 * 3_600 - 30
                * 60)
    }

    @Test(
        "Bad expressions are refused with the reason",
        arguments: ["", "* * *", "61 * * * *", "*/0 * * * *", "5-1 * * * *", "a * * * *"])
    func invalid(expression: String) {
        #expect(throws: CronError.self) { try CronSchedule(expression) }
    }

    @Test("An impossible date never fires")
    func impossible() throws {
        #expect(try CronSchedule("0 0 31 2 *").next(after: self.valentines) == nil)
    }
}
