import FloodgateCore
import FloodgateTestSupport
import Foundation
import Logging
import Testing

@testable import FloodgateStore

@Suite("Request deadlines reach the database")
struct DeadlineTests {
    struct Marker: Error {}

    @Test("A transaction still queued for SQLite's writer at its deadline is dropped, and writes nothing")
    func sqliteWriterQueue() async throws {
        try await TestEngine.sqlite.withScratch { _, url in
            let database = try await Database.open(url, logger: Logger(label: "test"))
            defer { Task { await database.close() } }
            try await database.execute("CREATE TABLE marks (name TEXT)")
            // The writer is busy for three seconds…
            async let slow: Void = database.transaction { db in
                try await Task.sleep(for: .seconds(3))
                try await db.raw("INSERT INTO marks VALUES ('slow')").run()
            }
            try await Task.sleep(for: .milliseconds(100))
            // …and a request with 100 ms left queues behind it: it is answered at its deadline, not when the
            // writer gets to it.
            let started = ContinuousClock.now
            await #expect(throws: DeadlineExceeded.self) {
                try await RequestDeadline.$current.withValue(.now + .milliseconds(100)) {
                    try await database.transaction { db in try await db.raw("INSERT INTO marks VALUES ('late')").run() }
                }
            }
            let waited = ContinuousClock.now - started
            // Under the 3 s the writer is busy for: a busy machine may wake the request late, but not that late.
            #expect(waited < .milliseconds(2_500), "shed at its deadline, long before the writer is free: \(waited)")
            try await slow
            #expect(try await database.scalar("SELECT COUNT(*) FROM marks WHERE name = 'late'") == 0)
            #expect(try await database.scalar("SELECT COUNT(*) FROM marks WHERE name = 'slow'") == 1)
            // A deadline already passed: refused before anything is queued; no deadline: served.
            await #expect(throws: DeadlineExceeded.self) {
                try await RequestDeadline.$current.withValue(.now - .seconds(1)) { try await database.read { _ in 1 } }
            }
            #expect(try await database.read { _ in 1 } == 1)
        }
    }

    @Test("Waiting for a pooled PostgreSQL connection stops at the deadline; a started transaction is never cut short")
    func postgresPoolWait() async throws {
        guard TestEngine.available.contains(.postgres) else { return }
        try await TestEngine.postgres.withScratch { _, url in
            let database = try await Database.open(url, maxConnections: 1, logger: Logger(label: "test"))
            defer { Task { await database.close() } }
            try await database.execute("CREATE TABLE marks (name TEXT)")
            // The only connection is taken for six seconds.
            async let holder: Void = database.read { db in try await db.raw("SELECT pg_sleep(6)").run() }
            try await Task.sleep(for: .milliseconds(100))
            let started = ContinuousClock.now
            await #expect(throws: DeadlineExceeded.self) {
                try await RequestDeadline.$current.withValue(.now + .milliseconds(200)) {
                    try await database.transaction { db in try await db.raw("INSERT INTO marks VALUES ('late')").run() }
                }
            }
            let waited = ContinuousClock.now - started
            // Shed at its deadline (0.2 s), long before the holder lets go (6 s). The margin is wide: the whole suite
            // shares two cores, with every test database's writer thread at a raised priority (3.05 s was seen
            // with a 3 s bound).
            #expect(waited < .milliseconds(5_000), "shed at its deadline, not after the holder: \(waited)")
            try await holder
            // A transaction that got its connection runs to its end even past its deadline.
            try await RequestDeadline.$current.withValue(.now + .milliseconds(200)) {
                try await database.transaction { db in
                    try await db.raw("SELECT pg_sleep(0.4)").run()
                    try await db.raw("INSERT INTO marks VALUES ('whole')").run()
                }
            }
            #expect(try await database.scalar("SELECT COUNT(*) FROM marks WHERE name = 'late'") == 0)
            #expect(try await database.scalar("SELECT COUNT(*) FROM marks WHERE name = 'whole'") == 1)
        }
    }
}
