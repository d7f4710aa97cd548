import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

@Suite("The prune task")
struct PruneTaskTests {
    @Test(
        "Deletes done jobs after a week, run logs after a month, idempotency keys after two days; keeps the rest",
        arguments: TestEngine.available)
    func prunesWhatIsOld(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            for _ in 0..<2 {
                #expect(
                    try await server.postJSON("/api/v1/stores/petals/orders", try await server.orderBody()).status
                        == 201)
            }
            let day: Int64 = 86_400_000
            let now = WallClock.nowMillis
            let db = server.database
            // One order's key is three days old; the other's is fresh.
            try await db.execute(
                "UPDATE idempotency_keys SET created_at = \(now - 3 * day) WHERE order_id = (SELECT MIN(id) FROM orders)"
            )
            // 1,200 done jobs eight days old (more than one delete batch), a dead one as old, a fresh done one.
            try await Self.insertJobs(db, count: 1_200, state: "done", at: now - 8 * day)
            try await Self.insertJobs(db, count: 1, state: "dead", at: now - 8 * day)
            try await Self.insertJobs(db, count: 1, state: "done", at: now - day)
            try await db.execute(
                """
                INSERT INTO task_runs (task, tick, trigger, worker, started_at, finished_at, duration_ms, outcome, queries)
                VALUES ('prune', 1, 'schedule', 'w', \(now - 31 * day), \(now - 31 * day), 5, 'ok', 3),
                       ('prune', 2, 'schedule', 'w', \(now - 2 * day), \(now - 2 * day), 5, 'ok', 3)
                """
            )

            try await db.execute("UPDATE scheduled_tasks SET run_requested_at = \(now) WHERE name = 'prune'")
            var outcome: String?
            for _ in 0..<150 where outcome == nil || outcome == "running" {
                try await Task.sleep(for: .milliseconds(100))
                let runs = try await SQLTaskRepository(database: db).runs(task: "prune", limit: 1)
                outcome = runs.first?.trigger == "manual" ? runs.first?.outcome : nil
            }
            #expect(outcome == "ok")
            #expect(try await db.scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'old.done'") == 0)
            #expect(
                try await db.scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'old.dead'") == 1,
                "dead jobs wait for an operator")
            #expect(try await db.scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'recent.done'") == 1)
            #expect(try await db.scalar("SELECT COUNT(*) FROM task_runs WHERE tick IN (1, 2)") == 1)
            #expect(try await db.scalar("SELECT COUNT(*) FROM idempotency_keys") == 1)
            #expect(try await db.scalar("SELECT COUNT(*) FROM orders") == 2, "orders are never pruned")
        }
    }

    /// Inserts `count` jobs of kind `old.STATE` (or `recent.done` when recent) last touched at `at`.
    static func insertJobs(_ db: Database, count: Int, state: String, at: Int64) async throws {
        let kind = at > WallClock.nowMillis - 2 * 86_400_000 ? "recent.\(state)" : "old.\(state)"
        for start in stride(from: 0, to: count, by: 500) {
            let values = (start..<min(start + 500, count)).map { _ in
                "('\(kind)', '{}', 0, 0, 1, 1, '\(state)', \(at), \(at))"
            }
            try await db.execute(
                "INSERT INTO jobs (kind, payload, priority, run_at, attempts, max_attempts, state, created_at, updated_at) VALUES "
                    + values.joined(separator: ", ")
            )
        }
    }
}
