import SQLKit

/// Version 3: fiscal receipts (one per order), scheduled tasks and the log of their runs.
enum Schema3 {
    @Sendable static func apply(_ db: any SQLDatabase) async throws {
        try await db.alter(table: "stores").column("fiscal_receipts", type: .int, .notNull, .default(0)).run()
        // Workers claim by kind (only kinds they can run, minus those behind an open breaker): without this,
        // every claim would step over all the jobs waiting for another kind, e.g. receipts while the cash
        // register is not configured.
        try await db.create(index: "jobs_claim").on("jobs").column("kind").column("state").column("run_at").run()
        // It replaces the first index: one less to write with every job an order inserts.
        try await db.drop(index: "jobs_due").run()

        try await db.create(table: "receipts")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            // One receipt per order: the cash register knows it by an external id derived from the order.
            .column("order_id", type: .bigint, .notNull, .unique, .references("orders", "id"))
            .column("external_id", type: .text, .notNull, .unique)
            .column("cashier_uuid", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("fiscal_data", type: .text)
            .column("error", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "receipts_status").on("receipts").column("status").run()

        try await db.create(table: "scheduled_tasks")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("schedule", type: .text, .notNull)
            .column("timeout_ms", type: .bigint, .notNull)
            .column("max_queries", type: .bigint, .notNull)
            .column("enabled", type: .int, .notNull)
            // Quarantine: set after three runs in a row broke the budget; only an operator clears it.
            .column("paused_at", type: .bigint)
            .column("paused_reason", type: .text)
            .column("breaches", type: .int, .notNull)
            .column("run_requested_at", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await db.create(table: "task_runs")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("task", type: .text, .notNull)
            // Seconds since 1970 of the schedule's tick, or of the request for a manual run.
            .column("tick", type: .bigint, .notNull)
            .column("trigger", type: .text, .notNull)
            .column("worker", type: .text, .notNull)
            .column("started_at", type: .bigint, .notNull)
            .column("finished_at", type: .bigint)
            .column("duration_ms", type: .bigint)
            .column("outcome", type: .text, .notNull)
            .column("queries", type: .bigint, .notNull)
            .column("error", type: .text)
            .run()
        // Each tick of each task is run once, however many workers see it come due.
        try await db.create(index: "task_runs_tick").on("task_runs").column("task").column("trigger").column("tick")
            .unique().run()
        try await db.create(index: "task_runs_started").on("task_runs").column("started_at").run()
    }
}
