import FloodgateCore
import SQLKit

/// The nightly clean-up's deletions, each in batches of ``batch`` rows so that no transaction holds the writer long.
public struct Housekeeping: Sendable {
    let database: Database
    public static let batch = 500

    public init(database: Database) {
        self.database = database
    }

    /// Deletes done jobs last changed before `cutoff` (milliseconds since 1970); returns how many went.
    public func deleteDoneJobs(updatedBefore cutoff: Int64) async throws -> Int {
        try await self.deleteInBatches(table: "jobs", key: "id", where: "state = 'done' AND updated_at < ", cutoff)
    }

    /// Deletes finished task runs started before `cutoff`; returns how many went.
    public func deleteFinishedRuns(startedBefore cutoff: Int64) async throws -> Int {
        try await self.deleteInBatches(
            table: "task_runs", key: "id", where: "outcome <> 'running' AND started_at < ", cutoff)
    }

    /// Deletes idempotency keys made before `cutoff` (their orders stay); returns how many went.
    public func deleteIdempotencyKeys(createdBefore cutoff: Int64) async throws -> Int {
        try await self.deleteInBatches(table: "idempotency_keys", key: "order_id", where: "created_at < ", cutoff)
    }

    /// Deletes rows matching `condition` followed by `cutoff`, `batch` at a time.
    private func deleteInBatches(
        table: String, key: String, where condition: String, _ cutoff: Int64
    ) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await self.database.transaction { db in
                try await db.raw(
                    """
                    DELETE FROM \(ident: table) WHERE \(ident: key) IN (
                        SELECT \(ident: key) FROM \(ident: table) WHERE \(unsafeRaw: condition)\(bind: cutoff) LIMIT \(unsafeRaw: String(Self.batch))
                    ) RETURNING \(ident: key)
                    """
                ).all().count
            }
            total += deleted
            if deleted < Self.batch { return total }
        }
    }
}
