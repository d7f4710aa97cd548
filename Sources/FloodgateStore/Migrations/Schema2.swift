import SQLKit

/// Version 2: the outbox — deferred work written inside business transactions and run by workers.
enum Schema2 {
    @Sendable static func apply(_ db: any SQLDatabase) async throws {
        try await db.create(table: "jobs")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("kind", type: .text, .notNull)
            .column("payload", type: .text, .notNull)
            // One job per business fact (an order's receipt, a task's tick): a second insert is ignored.
            .column("dedupe_key", type: .text, .unique)
            .column("priority", type: .int, .notNull)
            .column("run_at", type: .bigint, .notNull)
            .column("attempts", type: .int, .notNull)
            .column("max_attempts", type: .int, .notNull)
            .column("state", type: .text, .notNull)
            .column("last_error", type: .text)
            .column("lease_until", type: .bigint)
            .column("worker", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "jobs_due").on("jobs").column("state").column("run_at").run()
    }
}
