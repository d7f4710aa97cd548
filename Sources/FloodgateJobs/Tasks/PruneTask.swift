import FloodgateCore
import FloodgateStore

/// Nightly: deletes finished jobs, old run logs and expired idempotency keys, in small batches so no
/// transaction holds the writer long; marks runs whose worker died as abandoned.
struct PruneTask: ScheduledTask {
    let database: Database
    var definition: TaskDefinition {
        TaskDefinition(name: "prune", schedule: "17 3 * * *", timeout: .seconds(300), maxQueries: 20_000)
    }

    static let day: Int64 = 86_400_000

    func run(_ context: TaskContext) async throws {
        let now = WallClock.nowMillis
        let housekeeping = Housekeeping(database: self.database)
        let jobs = try await housekeeping.deleteDoneJobs(updatedBefore: now - 7 * Self.day)
        let runs = try await housekeeping.deleteFinishedRuns(startedBefore: now - 30 * Self.day)
        // A client retries with the same key within minutes; two days is plenty.
        let keys = try await housekeeping.deleteIdempotencyKeys(createdBefore: now - 2 * Self.day)
        let abandoned = try await SQLTaskRepository(database: self.database).abandonRuns(
            startedBefore: now - Self.day / 24)
        context.logger.info(
            "pruned",
            metadata: [
                "jobs": "\(jobs)", "runs": "\(runs)", "idempotency_keys": "\(keys)", "abandoned_runs": "\(abandoned)",
            ])
    }
}
