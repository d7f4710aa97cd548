import FloodgateCore
import FloodgateJobs
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Scheduled tasks")
struct SchedulerTests {
    /// Records which ticks ran, in which worker.
    final class TickLog: Sendable {
        let ticks = Mutex<[(tick: Int64, worker: String)]>([])
        var all: [(tick: Int64, worker: String)] { self.ticks.withLock { $0 } }
    }

    struct Heartbeat: ScheduledTask {
        let log: TickLog
        var definition: TaskDefinition {
            TaskDefinition(name: "heartbeat", schedule: "* * * * * *", timeout: .seconds(5), maxQueries: 10)
        }
        func run(_ context: TaskContext) async throws {
            self.log.ticks.withLock { $0.append((context.tick, context.worker)) }
        }
    }

    /// Ignores cancellation for twelve seconds, like code stuck in a blocking call.
    struct Stuck: ScheduledTask {
        var definition: TaskDefinition {
            TaskDefinition(name: "stuck", schedule: "0 0 1 1 *", timeout: .milliseconds(500), maxQueries: 10)
        }
        func run(_ context: TaskContext) async throws {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().asyncAfter(deadline: .now() + 12) { done.resume() }
            }
        }
    }

    /// Takes a second, politely.
    struct Slow: ScheduledTask {
        var definition: TaskDefinition {
            TaskDefinition(name: "slow", schedule: "0 0 1 1 *", timeout: .seconds(10), maxQueries: 10)
        }
        func run(_ context: TaskContext) async throws { try await Task.sleep(for: .seconds(1)) }
    }

    /// Runs schedulers named `workers` on `database` until `until` says stop (at most `seconds`).
    static func runSchedulers(
        _ database: Database, workers: [String], tasks: [any ScheduledTask], seconds: Int,
        until: @Sendable () async throws -> Bool = { false }
    ) async throws {
        var logger = Logger(label: "test-scheduler")
        logger.logLevel = .critical
        let services = workers.map {
            Scheduler(database: database, tasks: tasks, worker: $0, poll: .milliseconds(100), logger: logger)
        }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline, !(try await until()) { try await Task.sleep(for: .milliseconds(100)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("Two workers on one database run each tick once", arguments: TestEngine.available)
    func eachTickRunsOnce(engine: TestEngine) async throws {
        try await engine.withQueue { database, _ in
            let log = TickLog()
            // Until four ticks have run (on a loaded machine that can take longer than four seconds).
            try await Self.runSchedulers(database, workers: ["w1", "w2"], tasks: [Heartbeat(log: log)], seconds: 20) {
                log.all.count >= 4
            }
            let ran = log.all
            #expect(ran.count >= 4, "ticks ran: \(ran.count)")
            #expect(Set(ran.map(\.tick)).count == ran.count, "no tick ran twice")
            let logged = try await SQLTaskRepository(database: database).runs(task: "heartbeat", limit: 100)
            #expect(logged.count == ran.count)
            #expect(logged.allSatisfy { $0.outcome == "ok" && $0.queries == 0 && $0.finishedAt != nil })
            #expect(Set(logged.map(\.tick)) == Set(ran.map(\.tick)))
            // (Ticks missed while a scheduler was held up fold into the next one, by design; not checked here.)
        }
    }

    @Test(
        "A runaway task is stopped at its query budget, quarantined after three breaches, and logged",
        arguments: TestEngine.available)
    func runawayIsQuarantined(engine: TestEngine) async throws {
        try await engine.withQueue { database, _ in
            // A few orders so that the runaway's query has something to chew on.
            let store = SQLTaskRepository(database: database)
            let runaway = try #require(
                BuiltinTasks.all(database: database, cashier: nil, runaway: true).first {
                    $0.definition.name == "runaway"
                })
            try await store.register([runaway.definition])
            // The budget must be what stops it: a timeout far off, even on a machine busy with the rest of the suite.
            #expect(
                try await store.configure(
                    "runaway", schedule: "* * * * * *", timeoutMs: 60_000, maxQueries: 300, enabled: nil, by: .system))
            // Until it is quarantined: a ceiling, not a wait (three runs of 301 queries take long on a loaded machine).
            try await Self.runSchedulers(database, workers: ["w1", "w2"], tasks: [runaway], seconds: 90) {
                try await store.task(named: "runaway")?.pausedAt != nil
            }
            let task = try #require(try await store.task(named: "runaway"))
            #expect(task.status == "paused")
            #expect(task.pausedReason?.contains("Quarantined: 3 runs in a row broke the budget") == true)
            let runs = try await store.runs(task: "runaway", limit: 10)
            #expect(runs.count == 3)
            #expect(
                runs.allSatisfy {
                    $0.outcome == "budget" && $0.queries == 301
                        && $0.error?.contains("more than 300 database queries") == true
                },
                "\(runs.map { "\($0.outcome) \($0.queries) \($0.error ?? "")" })"
            )

            // Paused means paused: no further run, however many ticks pass.
            try await Self.runSchedulers(database, workers: ["w1"], tasks: [runaway], seconds: 2)
            #expect(try await store.runs(task: "runaway", limit: 10).count == 3)
            // An operator resumes it: breaches are cleared and it runs again.
            #expect(try await store.resume("runaway", by: .system))
            #expect(try await store.task(named: "runaway")?.breaches == 0)
        }
    }

    @Test("Pausing a task stops its running run at once")
    func pauseStopsARun() async throws {
        try await TestEngine.sqlite.withQueue { database, _ in
            let store = SQLTaskRepository(database: database)
            let runaway = try #require(
                BuiltinTasks.all(database: database, cashier: nil, runaway: true).first {
                    $0.definition.name == "runaway"
                })
            try await store.register([runaway.definition])
            _ = try await store.configure(
                "runaway", schedule: "* * * * * *", timeoutMs: 60_000, maxQueries: 1_000_000_000, enabled: nil,
                by: .system)
            let paused = Mutex(false)
            try await Self.runSchedulers(database, workers: ["w1"], tasks: [runaway], seconds: 20) {
                let run = try await store.runs(task: "runaway", limit: 1).first
                if run?.outcome == "running", !paused.withLock({ $0 }) {
                    // Long enough to be busy even when the whole suite shares two cores with it.
                    try await Task.sleep(for: .milliseconds(1_500))
                    _ = try await store.pause("runaway", reason: "test", by: .system)
                    paused.withLock { $0 = true }
                }
                return run?.finishedAt != nil
            }
            let run = try #require(try await store.runs(task: "runaway", limit: 1).first)
            #expect(run.outcome == "cancelled")
            // Stopped by the pause, far short of its 60 s timeout. The bound is loose on purpose: the pause is seen at
            // the next scheduler poll (1 s), and a CI machine under the whole suite once took 5.04 s end to end.
            #expect((run.durationMs ?? 0) < 20_000)
            // It was running queries when it was stopped (how many depends on how busy the machine is: 7 under the whole
            // suite once).
            #expect(run.queries > 0, "it was busy until stopped")
            #expect(try await store.task(named: "runaway")?.breaches == 0, "an operator's stop is not a breach")
        }
    }

    @Test("Run-now while a run is going waits for it instead of being lost")
    func runNowWhileRunning() async throws {
        try await TestEngine.sqlite.withQueue { database, _ in
            let store = SQLTaskRepository(database: database)
            try await store.register([Slow().definition])
            #expect(try await store.requestRun("slow", by: .system))
            let asked = Mutex(false)
            try await Self.runSchedulers(database, workers: ["w1", "w2"], tasks: [Slow()], seconds: 20) {
                let runs = try await store.runs(task: "slow", limit: 5)
                if runs.first?.outcome == "running", !asked.withLock({ $0 }) {
                    _ = try await store.requestRun("slow", by: .system)
                    asked.withLock { $0 = true }
                }
                return runs.count == 2 && runs.allSatisfy { $0.outcome == "ok" }
            }
            let runs = try await store.runs(task: "slow", limit: 5)
            #expect(runs.map(\.outcome) == ["ok", "ok"])
            #expect(runs.allSatisfy { $0.trigger == "manual" })
            #expect(try await store.task(named: "slow")?.runRequestedAt == nil)
        }
    }

    @Test("A run past its timeout is logged at the limit even if it ignores cancellation")
    func timeoutIsLoggedOnTime() async throws {
        try await TestEngine.sqlite.withQueue { database, _ in
            let store = SQLTaskRepository(database: database)
            try await store.register([Stuck().definition])
            #expect(try await store.requestRun("stuck", by: .system))
            try await Self.runSchedulers(database, workers: ["w1"], tasks: [Stuck()], seconds: 10) {
                try await store.runs(task: "stuck", limit: 1).first?.finishedAt != nil
            }
            let run = try #require(try await store.runs(task: "stuck", limit: 1).first)
            #expect(run.trigger == "manual")
            #expect(run.outcome == "timeout")
            #expect(
                // Logged at its 0.5 s limit, well before the stuck call returns at 12 s; the slack is for a machine busy
                // with the whole suite, which once took 5.2 s.
                (run.durationMs ?? 0) < 9_000, "logged at \(run.durationMs ?? -1) ms, not when the stuck call returned")
            #expect(try await store.task(named: "stuck")?.breaches == 1)
        }
    }
}
