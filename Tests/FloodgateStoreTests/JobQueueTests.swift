import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Logging
import SQLKit
import Testing

@Suite("The outbox job queue")
struct JobQueueTests {
    /// Runs `body` with a migrated scratch database of the engine.
    struct RolledBack: Error {}

    @Test(
        "Jobs written in a transaction exist if and only if it commits; a repeated fact is written once",
        arguments: TestEngine.available)
    func jobsFollowTheirTransaction(engine: TestEngine) async throws {
        try await engine.withQueue { database, queue in
            await #expect(throws: RolledBack.self) {
                try await database.transaction { db in
                    try await SQLJobQueue.enqueue(
                        [NewJob(kind: "email.order-confirmation", dedupeKey: "email:order:1")], on: db)
                    throw RolledBack()
                }
            }
            #expect(try await queue.stats().counts.isEmpty)

            try await database.transaction { db in
                try await SQLJobQueue.enqueue(
                    [
                        NewJob(kind: "fiscal.receipt", dedupeKey: "receipt:order:1"),
                        NewJob(kind: "email.order-confirmation", dedupeKey: "email:order:1"),
                    ],
                    on: db
                )
            }
            try await queue.enqueue([NewJob(kind: "fiscal.receipt", dedupeKey: "receipt:order:1")])
            let stats = try await queue.stats()
            #expect(stats.count(.queued) == 2)
            #expect(stats.due == 2)
        }
    }

    @Test(
        "Due jobs are claimed by priority, once, and claimed again only when their lease has ended",
        arguments: TestEngine.available)
    func claimsRespectPriorityAndLeases(engine: TestEngine) async throws {
        try await engine.withQueue { database, queue in
            try await queue.enqueue([
                NewJob(kind: "low", priority: 0), NewJob(kind: "high", priority: 10),
                NewJob(kind: "later", runAt: WallClock.nowMillis + 3_600_000),
            ])
            let first = try await queue.claim(
                limit: 10, worker: "w1", lease: .seconds(60), kinds: ["low", "high", "later"])
            #expect(first.map(\.kind) == ["high", "low"])
            #expect(first.allSatisfy { $0.attempts == 1 && $0.state == .running })
            #expect(
                try await queue.claim(limit: 10, worker: "w2", lease: .seconds(30), kinds: ["low", "high", "later"])
                    .isEmpty, "leased and not-yet-due jobs are not claimed")

            // w1 "dies" and its lease runs out (moved into the past rather than waited for, so no timing is involved):
            // another worker takes the jobs over, as a new attempt.
            try await database.execute("UPDATE jobs SET lease_until = 1 WHERE worker = 'w1'")
            let takenOver = try await queue.claim(
                limit: 10, worker: "w2", lease: .seconds(30), kinds: ["low", "high", "later"])
            #expect(Set(takenOver.map(\.id)) == Set(first.map(\.id)))
            #expect(takenOver.allSatisfy { $0.attempts == 2 })

            // The late worker's completion does not count; the new owner's does.
            try await queue.complete(first.map(\.id), worker: "w1")
            #expect(try await queue.stats().count(.done) == 0)
            try await queue.complete(takenOver.map(\.id), worker: "w2")
            #expect(try await queue.stats().count(.done) == 2)
        }
    }

    @Test(
        "A failing job backs off, dies after its last attempt with the error kept, and can be retried",
        arguments: TestEngine.available)
    func failuresBackOffThenDie(engine: TestEngine) async throws {
        try await engine.withQueue { database, queue in
            try await queue.enqueue([NewJob(kind: "flaky", maxAttempts: 2)])
            var job = try #require(
                try await queue.claim(limit: 1, worker: "w", lease: .seconds(30), kinds: ["flaky"]).first)
            try await queue.fail(job, worker: "w", error: "cash register said 500", retryAfter: .seconds(3_600))
            #expect(try await queue.stats().count(.retrying) == 1)
            #expect(
                try await queue.claim(limit: 1, worker: "w", lease: .seconds(30), kinds: ["flaky"]).isEmpty,
                "it waits out its back-off")
            let wait = try await database.scalar("SELECT run_at - updated_at FROM jobs")
            #expect(wait == 3_600_000)

            try await database.execute("UPDATE jobs SET run_at = 1")  // the hour has passed
            job = try #require(
                try await queue.claim(limit: 1, worker: "w", lease: .seconds(30), kinds: ["flaky"]).first)
            #expect(job.attempts == 2)
            #expect(job.lastError == "cash register said 500")
            try await queue.fail(job, worker: "w", error: "cash register timed out", retryAfter: .milliseconds(1))
            let stats = try await queue.stats()
            #expect(stats.count(.dead) == 1)
            #expect(stats.due == 0)
            let error = try await database.read { db in
                try await db.select().column("last_error").from("jobs").first()?.decode(
                    column: "last_error", as: String.self)
            }
            #expect(error == "cash register timed out")

            #expect(try await queue.retryDead(id: job.id, by: .system))
            #expect(try await queue.retryDead(id: job.id, by: .system) == false, "only a dead job can be retried")
            let again = try #require(
                try await queue.claim(limit: 1, worker: "w", lease: .seconds(30), kinds: ["flaky"]).first)
            #expect(again.attempts == 1)
        }
    }

    @Test("Four workers claiming at once take every job exactly once", arguments: TestEngine.available)
    func concurrentClaimersNeverShareAJob(engine: TestEngine) async throws {
        try await engine.withQueue { database, queue in
            try await queue.enqueue((0..<400).map { NewJob(kind: "trivial", dedupeKey: "job-\($0)") })
            let claimed = try await withThrowingTaskGroup(of: [Int].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var mine: [Int] = []
                        while true {
                            let jobs = try await queue.claim(
                                limit: 16, worker: "w\(worker)", lease: .seconds(60), kinds: ["trivial"])
                            if jobs.isEmpty { return mine }
                            mine += jobs.map(\.id)
                            try await queue.complete(jobs.map(\.id), worker: "w\(worker)")
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let all = claimed.flatMap { $0 }
            #expect(all.count == 400)
            #expect(Set(all).count == 400)
            #expect(try await queue.stats().count(.done) == 400)
        }
    }
}

@Suite("Retry back-off")
struct RetryPolicyTests {
    @Test("The wait doubles per attempt, is capped, and is jittered to 50–100 %")
    func backOffDoublesAndIsCapped() {
        let policy = RetryPolicy(base: .seconds(2), cap: .seconds(60))
        #expect(policy.delay(afterAttempt: 1, random: 1) == .seconds(2))
        #expect(policy.delay(afterAttempt: 3, random: 1) == .seconds(8))
        #expect(policy.delay(afterAttempt: 10, random: 1) == .seconds(60))
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == .seconds(4))
        for attempt in 1...40 {
            let delay = policy.delay(afterAttempt: attempt)
            #expect(delay >= .seconds(1) && delay <= .seconds(60))
        }
    }
}
