import FloodgateCore
import SQLKit

/// The outbox: jobs written in business transactions, claimed by workers under a lease.
///
/// Claiming is safe with several workers and processes: on PostgreSQL `FOR UPDATE SKIP LOCKED` lets
/// them take different jobs without waiting on each other; on SQLite the single writer serialises
/// claims. A job whose worker died is claimed again once its lease has ended (at-least-once), so every
/// handler must be idempotent.
public struct SQLJobQueue: JobQueue {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Adds jobs as part of the caller's transaction: they exist if and only if it commits.
    public static func enqueue(_ jobs: [NewJob], on db: any SQLDatabase) async throws {
        guard !jobs.isEmpty else { return }
        let now = WallClock.nowMillis
        // Hand-written rather than built: this runs inside every checkout, and building the statement (quoting
        // ten identifiers, a bind per constant) cost more than executing it. Same SQL on both engines.
        let rows = SQLList(jobs.map { Self.values($0, now: now) })
        try await db.raw("INSERT INTO jobs (\(Self.columns)) VALUES \(rows) ON CONFLICT (dedupe_key) DO NOTHING").run()
    }

    /// The columns a new job's row fills, in the order of ``values(_:now:)`` (and of PostgreSQL's one-statement
    /// checkout, ``PlaceOrderStatement``, which fills them from arrays).
    static let columns = SQLRaw(
        "kind, payload, dedupe_key, priority, run_at, attempts, max_attempts, state, created_at, updated_at")

    /// A new job's row as a VALUES tuple.
    static func values(_ job: NewJob, now: Int64) -> SQLQueryString {
        """
        (\(bind: job.kind), \(bind: job.payload), \(bind: job.dedupeKey), \(literal: job.priority), \(literal: Int(job.runAt ?? now)), 0, \
        \(literal: job.maxAttempts), \(literal: JobState.queued.rawValue), \(literal: Int(now)), \(literal: Int(now)))
        """
    }

    /// Adds jobs in a transaction of their own.
    public func enqueue(_ jobs: [NewJob]) async throws {
        try await self.database.transaction { db in try await Self.enqueue(jobs, on: db) }
    }

    /// Takes up to `limit` due jobs (highest priority, then oldest first) for `worker` until the lease ends.
    ///
    /// Only jobs of `kinds` are taken: a worker leaves alone what it has no handler for, and jobs whose
    /// integration is switched off by its circuit breaker wait in the queue without using attempts.
    public func claim(limit: Int, worker: String, lease: Duration, kinds: [String]) async throws -> [Job] {
        guard !kinds.isEmpty else { return [] }
        let now = WallClock.nowMillis
        let kindList = SQLList(kinds.map { SQLBind($0) })
        let until = now + lease.milliseconds
        // PostgreSQL only: skip rows another worker is claiming right now instead of waiting for them.
        let skipLocked = self.database.engine == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await self.database.transaction { db in
            try await db.raw(
                """
                UPDATE jobs SET state = \(bind: JobState.running.rawValue), attempts = attempts + 1, lease_until = \(bind: until),
                    worker = \(bind: worker), updated_at = \(bind: now)
                WHERE id IN (
                    SELECT id FROM jobs
                    WHERE kind IN (\(kindList)) AND (
                        (state IN (\(bind: JobState.queued.rawValue), \(bind: JobState.retrying.rawValue)) AND run_at <= \(bind: now))
                        OR (state = \(bind: JobState.running.rawValue) AND lease_until < \(bind: now)))
                    ORDER BY priority DESC, run_at, id
                    LIMIT \(bind: limit)\(unsafeRaw: skipLocked)
                )
                RETURNING id, kind, payload, dedupe_key, priority, attempts, max_attempts, state, last_error
                """
            ).all().map(Job.init(row:)).sorted { ($0.priority, -$0.id) > ($1.priority, -$1.id) }
        }
    }

    /// Marks jobs finished. Only a job still leased to `worker` is changed, so a worker whose lease ran out
    /// (and whose job was taken over) cannot overwrite the newer attempt's outcome.
    public func complete(_ ids: [Int], worker: String) async throws {
        guard !ids.isEmpty else { return }
        let now = WallClock.nowMillis
        try await self.database.transaction { db in
            try await db.update("jobs")
                .set("state", to: JobState.done.rawValue).set("lease_until", to: SQLLiteral.null).set(
                    "updated_at", to: now
                )
                .where("id", .in, ids).where("worker", .equal, worker).where("state", .equal, JobState.running.rawValue)
                .run()
        }
    }

    /// Records a failed attempt: back to `retrying` after `retryAfter`, or `dead` once attempts are used up.
    public func fail(_ job: Job, worker: String, error: String, retryAfter: Duration) async throws {
        let now = WallClock.nowMillis
        let dead = job.attempts >= job.maxAttempts
        let next = now + retryAfter.milliseconds
        try await self.database.transaction { db in
            try await db.update("jobs")
                .set("state", to: (dead ? JobState.dead : JobState.retrying).rawValue)
                .set("last_error", to: String(error.prefix(2_000))).set("run_at", to: dead ? now : next)
                .set("lease_until", to: SQLLiteral.null).set("updated_at", to: now)
                .where("id", .equal, job.id).where("worker", .equal, worker).where(
                    "state", .equal, JobState.running.rawValue
                )
                .run()
        }
    }

    /// Puts claimed jobs back untried: the attempt they were charged is returned and they come due at `at`.
    /// Used when their integration's breaker opened after they were claimed.
    public func release(_ ids: [Int], worker: String, until at: Int64) async throws {
        guard !ids.isEmpty else { return }
        let now = WallClock.nowMillis
        try await self.database.transaction { db in
            try await db.raw(
                """
                UPDATE jobs SET state = \(bind: JobState.retrying.rawValue), attempts = attempts - 1, run_at = \(bind: at),
                    lease_until = NULL, updated_at = \(bind: now)
                WHERE id IN (\(SQLList(ids.map { SQLBind($0) }))) AND worker = \(bind: worker) AND state = \(bind: JobState.running.rawValue)
                """
            ).run()
        }
    }

    /// Gives a dead job a fresh set of attempts. Returns whether there was such a dead job.
    @discardableResult
    public func retryDead(id: Int, by actor: Actor) async throws -> Bool {
        let now = WallClock.nowMillis
        return try await self.database.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    UPDATE jobs SET state = \(bind: JobState.queued.rawValue), attempts = 0, run_at = \(bind: now), updated_at = \(bind: now)
                    WHERE id = \(bind: id) AND state = \(bind: JobState.dead.rawValue) RETURNING kind
                    """
                ).first()
            else { return false }
            try await AuditChain.append(
                AuditEntry(
                    "job.retry", object: "job", id: String(id),
                    details: ["kind": AuditChange(after: try row.decode(column: "kind", as: String.self))]),
                by: actor, on: db, at: now)
            return true
        }
    }

    /// How many jobs are in each state, and how many are due now.
    public func stats() async throws -> JobStats {
        let now = WallClock.nowMillis
        return try await self.database.read { db in
            let rows = try await db.select().column("state").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("jobs").groupBy("state").all()
            var counts: [String: Int] = [:]
            for row in rows {
                counts[try row.decode(column: "state", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            let due =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("jobs")
                .where("state", .in, [JobState.queued.rawValue, JobState.retrying.rawValue]).where(
                    "run_at", .lessThanOrEqual, now
                )
                .first()?.decode(column: "n", as: Int.self) ?? 0
            return JobStats(counts: counts, due: due)
        }
    }
}

extension Job {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int.self),
            kind: try row.decode(column: "kind", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            dedupeKey: try row.decode(column: "dedupe_key", as: String?.self),
            priority: try row.decode(column: "priority", as: Int.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            state: JobState(rawValue: try row.decode(column: "state", as: String.self)) ?? .running,
            lastError: try row.decode(column: "last_error", as: String?.self)
        )
    }
}

extension Duration {
    /// Whole milliseconds, for timestamps stored as milliseconds since 1970.
    public var milliseconds: Int64 {
        self.components.seconds * 1_000 + self.components.attoseconds / 1_000_000_000_000_000
    }
}

extension SQLJobQueue {
    /// Dead jobs, most recently failed first.
    public func dead(limit: Int) async throws -> [Job] {
        try await self.database.read { db in
            try await db.select().columns(
                "id", "kind", "payload", "dedupe_key", "priority", "attempts", "max_attempts", "state", "last_error"
            )
            .from("jobs").where("state", .equal, JobState.dead.rawValue).orderBy("updated_at", .descending).limit(limit)
            .all().map(Job.init(row:))
        }
    }
}
