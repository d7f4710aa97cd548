import FloodgateCore
import SQLKit

/// The `scheduled_tasks` and `task_runs` tables: what may run, what ran, and what was quarantined.
public struct SQLTaskRepository: TaskRepository {
    let database: Database
    /// Runs in a row that broke their budget before a task is paused.
    public static let quarantineAfter = 3

    public init(database: Database) {
        self.database = database
    }

    /// Adds tasks this version knows and the table does not; existing rows keep the operator's settings.
    public func register(_ definitions: [TaskDefinition]) async throws {
        guard !definitions.isEmpty else { return }
        let now = WallClock.nowMillis
        try await self.database.transaction { db in
            let insert = db.insert(into: "scheduled_tasks")
                .columns("name", "schedule", "timeout_ms", "max_queries", "enabled", "breaches", "created_at")
            for task in definitions {
                insert.values(
                    SQLBind(task.name), SQLBind(task.schedule), SQLBind(task.timeout.milliseconds),
                    SQLBind(task.maxQueries),
                    SQLBind(task.enabled ? 1 : 0), SQLBind(0), SQLBind(now)
                )
            }
            try await insert.ignoringConflicts(with: ["name"]).run()
        }
    }

    /// Every task with its latest run.
    public func all() async throws -> [TaskRecord] {
        try await self.database.read { db in
            var tasks = try await db.select().column("*").from("scheduled_tasks").orderBy("name").all().map(
                TaskRecord.init(row:))
            for index in tasks.indices {
                tasks[index].lastRun = try await db.select().column("*").from("task_runs").where(
                    "task", .equal, tasks[index].name
                )
                .orderBy("id", .descending).limit(1).first().map(TaskRun.init(row:))
            }
            return tasks
        }
    }

    public func task(named name: String) async throws -> TaskRecord? {
        try await self.all().first { $0.name == name }
    }

    /// Latest runs first, of one task or all.
    public func runs(task: String?, limit: Int) async throws -> [TaskRun] {
        try await self.database.read { db in
            let query = db.select().column("*").from("task_runs")
            if let task { query.where("task", .equal, task) }
            return try await query.orderBy("id", .descending).limit(limit).all().map(TaskRun.init(row:))
        }
    }

    /// Starts the run of one tick. Returns its id, or nil if another worker already has this tick or a run
    /// of the task is still going (within its timeout) anywhere: one run of a task at a time.
    public func claim(task: String, trigger: String, tick: Int64, worker: String) async throws -> Int? {
        let now = WallClock.nowMillis
        // PostgreSQL: lock the task's row so two workers cannot both see "nothing running" at once; SQLite's
        // single writer already serialises this transaction.
        let lock = self.database.engine == .postgres ? " FOR UPDATE" : ""
        // A scheduled tick of a task paused or disabled since the scheduler last read it is not taken: the pause
        // (a quarantine's, say) may have committed a moment ago. A manual run may run a paused task.
        let runnable = trigger == "manual" ? "" : " AND paused_at IS NULL AND enabled <> 0"
        return try await self.database.transaction { db -> Int? in
            guard
                let timeout = try await db.raw(
                    """
                    SELECT timeout_ms FROM scheduled_tasks WHERE name = \(bind: task)\(unsafeRaw: runnable)\
                    \(unsafeRaw: lock)
                    """
                )
                .first()?.decode(column: "timeout_ms", as: Int64.self)
            else { return nil }
            // A run older than its timeout (plus a minute's grace) was abandoned by a worker that died.
            let busy = try await db.select().column("id").from("task_runs")
                .where("task", .equal, task).where("outcome", .equal, "running").where(
                    "started_at", .greaterThan, now - timeout - 60_000
                )
                .limit(1).first()
            guard busy == nil else { return nil }
            return try await db.insert(into: "task_runs")
                .columns("task", "tick", "trigger", "worker", "started_at", "outcome", "queries")
                .values(
                    SQLBind(task), SQLBind(tick), SQLBind(trigger), SQLBind(worker), SQLBind(now), SQLBind("running"),
                    SQLBind(0)
                )
                .ignoringConflicts(with: ["task", "trigger", "tick"])
                .returning("id").first()?.decode(column: "id", as: Int.self)
        }
    }

    /// Asks the workers to run a task once now, outside its schedule. Returns whether the task exists.
    public func requestRun(_ name: String, by actor: Actor) async throws -> Bool {
        try await self.updateTask(name, "task.run-now", by: actor) {
            $0.set("run_requested_at", to: WallClock.nowMillis)
        }
    }

    /// Takes a run request; only one worker gets it.
    public func takeRunRequest(_ name: String, requestedAt: Int64) async throws -> Bool {
        try await self.database.transaction { db in
            try await db.raw(
                """
                UPDATE scheduled_tasks SET run_requested_at = NULL
                WHERE name = \(bind: name) AND run_requested_at = \(bind: requestedAt) RETURNING name
                """
            ).first() != nil
        }
    }

    /// Records how a run ended and counts breaches; the third in a row pauses the task. Returns the task
    /// as it now is.
    @discardableResult
    public func finish(
        runID: Int, task: String, outcome: TaskOutcome, queries: Int, error: String?
    ) async throws -> (breaches: Int, quarantined: Bool) {
        let now = WallClock.nowMillis
        return try await self.database.transaction { db in
            try await db.raw(
                """
                UPDATE task_runs SET finished_at = \(bind: now), duration_ms = \(bind: now) - started_at, outcome = \(bind: outcome.rawValue),
                    queries = \(bind: queries), error = \(bind: error.map { String($0.prefix(2_000)) })
                WHERE id = \(bind: runID)
                """
            ).run()
            let row = try await db.raw(
                """
                UPDATE scheduled_tasks SET breaches = \(unsafeRaw: outcome.isBreach ? "breaches + 1" : "0")
                WHERE name = \(bind: task) RETURNING breaches, paused_at
                """
            ).first()
            let breaches = try row?.decode(column: "breaches", as: Int.self) ?? 0
            guard breaches >= Self.quarantineAfter, try row?.decode(column: "paused_at", as: Int64?.self) == nil else {
                return (breaches, false)
            }
            let reason = "Quarantined: \(breaches) runs in a row broke the budget (last: \(error ?? outcome.rawValue))"
            try await db.update("scheduled_tasks").set("paused_at", to: now).set("paused_reason", to: reason)
                .where("name", .equal, task).run()
            try await AuditChain.append(
                AuditEntry(
                    "task.quarantine", object: "task", id: task, details: ["reason": AuditChange(after: reason)]),
                by: .system, on: db, at: now)
            return (breaches, true)
        }
    }

    /// Stops a task from running until ``resume(_:)``.
    public func pause(_ name: String, reason: String, by actor: Actor) async throws -> Bool {
        try await self.updateTask(name, "task.pause", by: actor) {
            $0.set("paused_at", to: WallClock.nowMillis).set("paused_reason", to: reason)
        }
    }

    /// Lets a paused task run again, with its breach count cleared.
    public func resume(_ name: String, by actor: Actor) async throws -> Bool {
        try await self.updateTask(name, "task.resume", by: actor) {
            $0.set("paused_at", to: SQLLiteral.null).set("paused_reason", to: SQLLiteral.null).set("breaches", to: 0)
        }
    }

    /// Changes a task's schedule, budget or enabled flag (nil keeps the value).
    public func configure(
        _ name: String, schedule: String?, timeoutMs: Int64?, maxQueries: Int64?, enabled: Bool?, by actor: Actor
    ) async throws -> Bool {
        if let schedule { _ = try CronSchedule(schedule) }
        return try await self.updateTask(name, "task.configure", by: actor) { update in
            if let schedule { update.set("schedule", to: schedule) }
            if let timeoutMs { update.set("timeout_ms", to: timeoutMs) }
            if let maxQueries { update.set("max_queries", to: maxQueries) }
            if let enabled { update.set("enabled", to: enabled ? 1 : 0) }
            return update
        }
    }

    /// Marks runs still `running` long after they started as `abandoned`: their worker died mid-run.
    public func abandonRuns(startedBefore cutoff: Int64) async throws -> Int {
        try await self.database.transaction { db in
            try await db.raw(
                """
                UPDATE task_runs SET outcome = 'abandoned', error = 'The worker running it stopped before it finished.'
                WHERE outcome = 'running' AND started_at < \(bind: cutoff) RETURNING id
                """
            ).all().count
        }
    }

    /// Changes a task and records `action` with what changed (a contractor's new schedule shows beside its runs).
    private func updateTask(
        _ name: String, _ action: String, by actor: Actor,
        _ change: @escaping @Sendable (SQLUpdateBuilder) -> SQLUpdateBuilder
    ) async throws -> Bool {
        try await self.database.transaction { db in
            let read = { try await db.select().column("*").from("scheduled_tasks").where("name", .equal, name).first() }
            guard let before = try await read().map(TaskRecord.init(row:)) else { return false }
            try await change(db.update("scheduled_tasks")).where("name", .equal, name).run()
            let after = try await read().map(TaskRecord.init(row:)) ?? before
            try await AuditChain.append(
                AuditEntry(
                    action, object: "task", id: name,
                    details: AuditEntry.changes(before: before.auditFields, after: after.auditFields)),
                by: actor, on: db)
            return true
        }
    }
}

extension TaskRecord {
    /// What the audit log compares (a run request shows as the time it was asked for).
    var auditFields: [String: String] {
        [
            "schedule": self.schedule, "timeout_ms": String(self.timeoutMs), "max_queries": String(self.maxQueries),
            "status": self.status, "paused_reason": self.pausedReason ?? "",
            "run_requested": self.runRequestedAt.map(String.init) ?? "",
        ]
    }

    init(row: any SQLRow) throws {
        self.init(
            name: try row.decode(column: "name", as: String.self),
            schedule: try row.decode(column: "schedule", as: String.self),
            timeoutMs: try row.decode(column: "timeout_ms", as: Int64.self),
            maxQueries: try row.decode(column: "max_queries", as: Int64.self),
            enabled: try row.decode(column: "enabled", as: Int.self) != 0,
            pausedAt: try row.decode(column: "paused_at", as: Int64?.self),
            pausedReason: try row.decode(column: "paused_reason", as: String?.self),
            breaches: try row.decode(column: "breaches", as: Int.self),
            runRequestedAt: try row.decode(column: "run_requested_at", as: Int64?.self),
            lastRun: nil
        )
    }
}

extension TaskRun {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int.self),
            task: try row.decode(column: "task", as: String.self),
            tick: try row.decode(column: "tick", as: Int64.self),
            trigger: try row.decode(column: "trigger", as: String.self),
            worker: try row.decode(column: "worker", as: String.self),
            startedAt: try row.decode(column: "started_at", as: Int64.self),
            finishedAt: try row.decode(column: "finished_at", as: Int64?.self),
            durationMs: try row.decode(column: "duration_ms", as: Int64?.self),
            outcome: try row.decode(column: "outcome", as: String.self),
            queries: try row.decode(column: "queries", as: Int64.self),
            error: try row.decode(column: "error", as: String?.self)
        )
    }
}
