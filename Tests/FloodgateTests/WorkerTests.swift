import FloodgateCore
import FloodgateJobs
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@Suite("The job worker")
struct WorkerTests {
    /// Records every run: which job, in which worker's context, and whether any ran twice.
    final class Recorder: Sendable {
        let runs = Mutex<[(job: Int, context: JobContext?)]>([])
        func record(_ job: Job) { self.runs.withLock { $0.append((job.id, JobContext.current)) } }
        var jobIDs: [Int] { self.runs.withLock { $0.map(\.job) } }
        var contexts: [JobContext?] { self.runs.withLock { $0.map(\.context) } }
    }

    struct Probe: JobHandler {
        let kind = "test.probe"
        let recorder: Recorder
        func run(_ job: Job, logger: Logger) async throws { self.recorder.record(job) }
    }

    struct Failing: JobHandler {
        let kind = "test.failing"
        func run(_ job: Job, logger: Logger) async throws { throw ProbeFailure(attempt: job.attempts) }
    }

    /// Calls an integration that is down.
    struct RegisterDown: JobHandler {
        let kind = "test.register"
        let recorder: Recorder
        var integration: String? { "register" }
        func run(_ job: Job, logger: Logger) async throws {
            self.recorder.record(job)
            throw ProbeFailure(attempt: job.attempts)
        }
    }

    struct Slow: JobHandler {
        let kind = "test.slow"
        func run(_ job: Job, logger: Logger) async throws { try await Task.sleep(for: .seconds(60)) }
    }

    struct ProbeFailure: Error, CustomStringConvertible {
        let attempt: Int
        var description: String { "probe failed on attempt \(self.attempt)" }
    }

    /// Polls `condition` for up to ten seconds (a slow shared machine must not fail a test that is not about speed).
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<200 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
        return condition()
    }

    static func worker(_ queue: any JobQueue, name: String, handlers: [any JobHandler]) -> Worker {
        Worker(
            queue: queue, handlers: handlers,
            config: WorkerConfiguration(
                name: name, concurrency: 4, jobTimeout: .milliseconds(300), retry: RetryPolicy(base: .zero, cap: .zero)),
            logger: Logger(label: "test-worker")
        )
    }

    @Test(
        "Two workers on one database run every job exactly once, each inside its job context",
        arguments: TestEngine.available)
    func twoWorkersRunEachJobOnce(engine: TestEngine) async throws {
        try await engine.withQueue { _, queue in
            try await queue.enqueue((0..<200).map { NewJob(kind: "test.probe", dedupeKey: "probe-\($0)") })
            let recorder = Recorder()
            let workers = [
                Self.worker(queue, name: "a", handlers: [Probe(recorder: recorder)]),
                Self.worker(queue, name: "b", handlers: [Probe(recorder: recorder)]),
            ]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in workers {
                    group.addTask { while try await worker.runOnce() > 0 {} }
                }
                try await group.waitForAll()
            }
            #expect(recorder.jobIDs.count == 200)
            #expect(Set(recorder.jobIDs).count == 200, "no job ran twice")
            #expect(recorder.contexts.allSatisfy { $0 != nil && ["a", "b"].contains($0!.worker) })
            #expect(Set(recorder.contexts.compactMap { $0?.worker }).count == 2, "both workers took a share")
            #expect(try await queue.stats().count(.done) == 200)
        }
    }

    @Test(
        "Due for its probe, an integration that is down gets one job claimed, not all its waiting jobs",
        arguments: TestEngine.available)
    func probeClaimsOneJob(engine: TestEngine) async throws {
        try await engine.withQueue { database, queue in
            let recorder = Recorder()
            let worker = Worker(
                queue: queue, handlers: [RegisterDown(recorder: recorder)],
                config: WorkerConfiguration(
                    name: "w", retry: RetryPolicy(base: .zero, cap: .zero), breakerThreshold: 1,
                    breakerCooldown: .milliseconds(300)
                ),
                logger: Logger(label: "test-worker")
            )
            // Each register job's row as it stands: any write to it changes its attempts, run_at or updated_at.
            let registerRows = {
                try await Set(
                    database.strings(
                        "SELECT id || ':' || attempts || ':' || run_at || ':' || updated_at FROM jobs WHERE kind = 'test.register'"
                    ))
            }
            try await queue.enqueue([NewJob(kind: "test.register", dedupeKey: "first")])
            #expect(try await worker.runOnce() == 1, "it fails, and the breaker opens")
            try await queue.enqueue((0..<9).map { NewJob(kind: "test.register", dedupeKey: "waiting-\($0)") })
            let waiting = try await registerRows()
            try await Task.sleep(for: .milliseconds(350))
            #expect(try await worker.runOnce() == 1, "due for its probe: one register job, not ten")
            let written = try await registerRows().subtracting(waiting)
            #expect(written.count == 1, "the nine others were not claimed and given back")
            #expect(recorder.jobIDs.count == 2)
        }
    }

    @Test(
        "Failures are retried until attempts run out, then the job is dead with its last error; unknown kinds wait",
        arguments: TestEngine.available)
    func failingJobEndsDead(engine: TestEngine) async throws {
        try await engine.withQueue { _, queue in
            try await queue.enqueue([
                NewJob(kind: "test.failing", maxAttempts: 3), NewJob(kind: "nobody.handles.this", maxAttempts: 1),
            ])
            let worker = Self.worker(queue, name: "w", handlers: [Failing()])
            for _ in 0..<5 { try await worker.runOnce() }
            let dead = try await queue.dead(limit: 10)
            #expect(dead.map(\.kind) == ["test.failing"])
            #expect(dead.first?.lastError == "probe failed on attempt 3")
            #expect(dead.first?.attempts == 3)
            // A kind this worker has no handler for (say, from a newer version) waits for a worker that has one.
            let stats = try await queue.stats()
            #expect(stats.count(.queued) == 1 && stats.due == 1)
        }
    }

    @Test("A job that overruns its timeout is cancelled and counted as a failed attempt")
    func slowJobTimesOut() async throws {
        try await TestEngine.sqlite.withQueue { _, queue in
            try await queue.enqueue([NewJob(kind: "test.slow", maxAttempts: 1)])
            let started = ContinuousClock.now
            try await Self.worker(queue, name: "w", handlers: [Slow()]).runOnce()
            #expect(ContinuousClock.now - started < .seconds(30), "the worker did not wait for the 60 s job")
            #expect(try await queue.dead(limit: 1).first?.lastError?.contains("did not finish within") == true)
        }
    }

    @Test("A worker sharing its process with a busy storefront steps back, but never longer than its limit")
    func busyStorefrontComesFirst() async throws {
        try await TestEngine.sqlite.withQueue { _, queue in
            let visitors = VisitorLoad()
            for _ in 0..<10 { visitors.enter() }
            let recorder = Recorder()
            let worker = Worker(
                queue: queue, handlers: [Probe(recorder: recorder)],
                config: WorkerConfiguration(
                    name: "w", idlePoll: .milliseconds(50), yieldAbove: 8, maxYield: .seconds(2)),
                visitors: visitors, logger: Logger(label: "test-worker")
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                // Visitors are many from the start: the worker waits with its first batch.
                try await Task.sleep(for: .milliseconds(300))
                try await queue.enqueue([NewJob(kind: "test.probe")])
                try await Task.sleep(for: .milliseconds(800))
                #expect(recorder.jobIDs.isEmpty, "the storefront is busy: the job waits")
                for _ in 0..<10 { visitors.leave() }
                #expect(try await Self.eventually { recorder.jobIDs.count == 1 }, "visitors gone: the job runs")

                for _ in 0..<10 { visitors.enter() }
                try await queue.enqueue([NewJob(kind: "test.probe")])
                #expect(
                    try await Self.eventually { recorder.jobIDs.count == 2 },
                    "a long peak still lets a batch through every maxYield")
                group.cancelAll()
            }
        }
    }
}
