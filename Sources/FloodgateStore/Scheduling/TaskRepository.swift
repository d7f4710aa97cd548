import FloodgateCore

/// Scheduled tasks: what may run, what ran, and what was quarantined. What people do to a task (pause, resume,
/// run now, a new schedule or budget) is recorded in the audit log as done by the ``Actor`` given.
public protocol TaskRepository: Sendable {
    /// Adds tasks this version knows and the store does not; existing ones keep the operator's settings.
    func register(_ definitions: [TaskDefinition]) async throws
    /// Every task with its latest run.
    func all() async throws -> [TaskRecord]
    func task(named name: String) async throws -> TaskRecord?
    /// Latest runs first, of one task or (nil) all.
    func runs(task: String?, limit: Int) async throws -> [TaskRun]
    /// Starts the run of one tick. Returns its id, or nil if another worker already has this tick or a run of the
    /// task is still going anywhere: one run of a task at a time.
    func claim(task: String, trigger: String, tick: Int64, worker: String) async throws -> Int?
    /// Asks the workers to run a task once now, outside its schedule. Returns whether the task exists.
    func requestRun(_ name: String, by actor: Actor) async throws -> Bool
    /// Takes a run request; only one worker gets it.
    func takeRunRequest(_ name: String, requestedAt: Int64) async throws -> Bool
    /// Records how a run ended and counts breaches; enough in a row pause the task.
    func finish(
        runID: Int, task: String, outcome: TaskOutcome, queries: Int, error: String?
    ) async throws -> (breaches: Int, quarantined: Bool)
    /// Stops a task from running until ``resume(_:by:)``.
    func pause(_ name: String, reason: String, by actor: Actor) async throws -> Bool
    /// Lets a paused task run again, with its breach count cleared.
    func resume(_ name: String, by actor: Actor) async throws -> Bool
    /// Changes a task's schedule, budget or enabled flag (nil keeps the value).
    func configure(
        _ name: String, schedule: String?, timeoutMs: Int64?, maxQueries: Int64?, enabled: Bool?, by actor: Actor
    ) async throws -> Bool
    /// Marks runs still going long after they started as abandoned: their worker died mid-run.
    func abandonRuns(startedBefore cutoff: Int64) async throws -> Int
}

extension TaskRepository {
    /// Latest runs of every task first.
    public func runs(limit: Int) async throws -> [TaskRun] {
        try await self.runs(task: nil, limit: limit)
    }
}
