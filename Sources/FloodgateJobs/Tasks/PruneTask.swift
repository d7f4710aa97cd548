import FloodgateCore
import FloodgateStore
import SQLKit

/// Nightly: deletes finished jobs, old run logs and expired idempotency keys, in small batches so no
/// transaction holds the writer long; marks runs whose worker died as abandoned.
struct PruneTask: ScheduledTask {
    let database: Database
    var definition: TaskDefinition {
        TaskDefinition(name: "prune", schedule: "17 3 * * *", timeout: .seconds(300), maxQueries: 20_000)
    }

    static let day: Int64 = 86_400_000
    static let batch = 500

    func run(_ context: TaskContext) async throws {
        let now = Clock.nowMillis
        let jobs = try await self.deleteInBatches(table: "jobs", key: "id", where: "state = 'done' AND updated_at < \(now - 7 * Self.day)")
        let runs = try await self.deleteInBatches(table: "task_runs", key: "id", where: "outcome <> 'running' AND started_at < \(now - 30 * Self.day)")
        // A client retries with the same key within minutes; two days is plenty.
        let keys = try await self.deleteInBatches(
            table: "idempotency_keys", key: "order_id", where: "created_at < \(now - 2 * Self.day)"
        )
        let abandoned = try await TaskStore(database: self.database).abandonRuns(startedBefore: now - Self.day / 24)
        context.logger.info("pruned", metadata: ["jobs": "\(jobs)", "runs": "\(runs)", "idempotency_keys": "\(keys)", "abandoned_runs": "\(abandoned)"])
    }

    /// Deletes matching rows `batch` at a time; returns how many went.
    private func deleteInBatches(table: String, key: String, where condition: String) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await self.database.transaction { db in
                try await db.raw(
                    """
                    DELETE FROM \(ident: table) WHERE \(ident: key) IN (
                        SELECT \(ident: key) FROM \(ident: table) WHERE \(unsafeRaw: condition) LIMIT \(unsafeRaw: String(Self.batch))
                    ) RETURNING \(ident: key)
                    """
                ).all().count
            }
            total += deleted
            if deleted < Self.batch { return total }
        }
    }
}
