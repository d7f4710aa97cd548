import FloodgateCore
import FloodgateStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs scheduled tasks in a worker process: each tick once across all workers, each run bounded.
///
/// Every `poll` it reads the task table (so pauses, resumes and schedule changes from `floodgate tasks`
/// apply at once), claims due ticks — the unique (task, tick) row decides which worker runs one — and
/// runs them concurrently, one run per task at a time in this process. See ``TaskRunner`` for the bounds.
public struct Scheduler: Service {
    let store: any TaskRepository
    let tasks: [String: any ScheduledTask]
    let worker: String
    let poll: Duration
    let logger: Logger

    public init(
        database: Database, tasks: [any ScheduledTask], worker: String, poll: Duration = .seconds(1), logger: Logger
    ) {
        self.store = SQLTaskRepository(database: database)
        self.tasks = Dictionary(tasks.map { ($0.definition.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.worker = worker
        self.poll = poll
        var logger = logger
        logger[metadataKey: "worker"] = "\(worker)"
        self.logger = logger
    }

    public func run() async throws {
        try await self.store.register(self.tasks.values.map(\.definition))
        self.logger.info("scheduler started", metadata: ["tasks": "\(self.tasks.keys.sorted())"])
        let running = RunningSet()
        var plan = TickPlan()
        // Discarding: a scheduler runs for months; finished runs must not pile up in the group.
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    for start in try await self.dueRuns(plan: &plan, running: running) {
                        group.addTask {
                            await TaskRunner(store: self.store, worker: self.worker, logger: self.logger).run(start) {
                                cancel in
                                running.setCancel(start.task.definition.name, cancel)
                            }
                            running.remove(start.task.definition.name)
                        }
                    }
                } catch {
                    self.logger.error(
                        "scheduler could not read its tasks", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.poll) }
            }
            group.cancelAll()
        }
        self.logger.info("scheduler stopped")
    }

    /// Claims the runs that are due now and not yet claimed by any worker.
    func dueRuns(plan: inout TickPlan, running: RunningSet) async throws -> [TaskRunner.Start] {
        let now = WallClock.nowMillis
        var starts: [TaskRunner.Start] = []
        for record in try await self.store.all() {
            guard let task = self.tasks[record.name] else { continue }
            // Paused or disabled while running here: stop the run now, not at its timeout.
            if record.pausedAt != nil || !record.enabled { running.cancel(record.name) }
            // Manual runs, even for a paused or disabled task: the request's time is the tick, so one worker gets
            // it; the request is cleared only once a run has started (a run still going keeps it waiting).
            if let requested = record.runRequestedAt, !running.contains(record.name),
                let runID = try await self.store.claim(
                    task: record.name, trigger: "manual", tick: requested, worker: self.worker)
            {
                _ = try await self.store.takeRunRequest(record.name, requestedAt: requested)
                running.insert(record.name)
                starts.append(TaskRunner.Start(task: task, record: record, runID: runID, tick: requested))
                continue
            }
            guard record.enabled, record.pausedAt == nil else { continue }
            let schedule: CronSchedule
            do {
                schedule = try CronSchedule(record.schedule)
            } catch {
                plan.warnOnce(record.name, "\(error)", logger: self.logger)
                continue
            }
            guard let tick = plan.dueTick(record.name, schedule: schedule, nowSeconds: now / 1_000),
                !running.contains(record.name)
            else { continue }
            if let runID = try await self.store.claim(
                task: record.name, trigger: "schedule", tick: tick, worker: self.worker)
            {
                running.insert(record.name)
                starts.append(TaskRunner.Start(task: task, record: record, runID: runID, tick: tick))
            }
        }
        return starts
    }
}

/// Which tick of each task comes next in this process.
struct TickPlan {
    private var next: [String: (schedule: String, tick: Int64)] = [:]
    private var warned: Set<String> = []

    /// The latest tick that has come due since the last one handed out (missed ticks fold into one), or nil.
    mutating func dueTick(_ task: String, schedule: CronSchedule, nowSeconds: Int64) -> Int64? {
        guard let planned = self.next[task], planned.schedule == schedule.description else {
            // First look, or the schedule changed: start from now; no catching up on ticks before.
            if let first = schedule.next(after: nowSeconds - 1) { self.next[task] = (schedule.description, first) }
            return nil
        }
        guard planned.tick <= nowSeconds else { return nil }
        var due = planned.tick
        while let later = schedule.next(after: due), later <= nowSeconds { due = later }
        if let following = schedule.next(after: due) { self.next[task] = (schedule.description, following) }
        return due
    }

    mutating func warnOnce(_ task: String, _ message: String, logger: Logger) {
        guard self.warned.insert(task).inserted else { return }
        logger.error(
            "task has an invalid schedule and does not run", metadata: ["task": "\(task)", "error": "\(message)"])
    }
}

/// Tasks running in this process (one run per task at a time), with a way to cancel each.
final class RunningSet: Sendable {
    private let runs = Mutex<[String: (@Sendable () -> Void)?]>([:])

    func contains(_ name: String) -> Bool { self.runs.withLock { $0.keys.contains(name) } }
    func insert(_ name: String) { self.runs.withLock { $0[name] = .some(nil) } }
    func remove(_ name: String) { self.runs.withLock { _ = $0.removeValue(forKey: name) } }
    func setCancel(_ name: String, _ cancel: @escaping @Sendable () -> Void) {
        self.runs.withLock { $0[name] = cancel }
    }
    func cancel(_ name: String) { self.runs.withLock { $0[name] ?? nil }?() }
}
