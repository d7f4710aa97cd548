import FloodgateCore
import FloodgateStore
import Logging
import ServiceLifecycle

/// Takes due jobs from the outbox and runs them with their handlers — the only place jobs run.
///
/// A worker never runs on a visitor's request: it is a service of its own, with its own concurrency cap
/// (and, on PostgreSQL, its own connection pool), so a saturated worker cannot take what visitors need.
/// Each job runs with a timeout under ``JobContext/current``; a failure is retried with back-off until
/// its attempts are used up, then the job is kept as dead with its last error (after a final
/// ``PermanentJobFailure``, at once). Handlers that call an integration sit behind its ``CircuitBreaker``:
/// while it is open their jobs stay queued, untried.
public struct Worker: Service {
    let queue: any JobQueue
    let handlers: [String: any JobHandler]
    /// One breaker per integration the handlers call, shared by all of its job kinds.
    public let breakers: [String: CircuitBreaker]
    let config: WorkerConfiguration
    /// Visitors being served by this process, when the worker shares it with the web server.
    let visitors: VisitorLoad?
    let logger: Logger

    public init(
        queue: any JobQueue, handlers: [any JobHandler], config: WorkerConfiguration, visitors: VisitorLoad? = nil,
        logger: Logger
    ) {
        self.queue = queue
        self.visitors = visitors
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.config = config
        var logger = logger
        logger[metadataKey: "worker"] = "\(config.name)"
        self.logger = logger
        let integrations = Set(handlers.compactMap(\.integration))
        self.breakers = Dictionary(
            uniqueKeysWithValues: integrations.map { name in
                (
                    name,
                    CircuitBreaker(
                        integration: name, threshold: config.breakerThreshold, cooldown: config.breakerCooldown,
                        logger: logger)
                )
            })
    }

    public func run() async throws {
        self.logger.info("worker started", metadata: ["concurrency": "\(self.config.concurrency)"])
        var lastBatch = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // Visitors first: while the storefront is busy, jobs wait in the queue (at most `maxYield` between
            // batches, so they still move on a long peak).
            if let visitors = self.visitors, visitors.current >= self.config.yieldAbove,
                ContinuousClock.now - lastBatch < self.config.maxYield
            {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(20)) }
                continue
            }
            lastBatch = .now
            // A batch taken while visitors are many is a small one: it keeps the queue moving without a burst.
            let busy = (self.visitors?.current ?? 0) >= self.config.yieldAbove
            let ran: Int
            do {
                ran = try await self.runOnce(limit: busy ? self.config.concurrency : self.config.batchSize)
            } catch {
                // The database is away (restarting, overloaded): wait and try again, never spin.
                self.logger.error("worker could not claim jobs", metadata: ["error": "\(String(reflecting: error))"])
                ran = 0
            }
            if ran == 0 {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.config.idlePoll) }
            } else if ran < self.config.batchSize {
                // Caught up: let a few jobs gather before the next claim, so a steady trickle of orders costs
                // the single writer a claim and a completion per batch, not per job.
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.config.gatherDelay) }
            }
        }
        self.logger.info("worker stopped")
    }

    /// Claims one batch of due jobs, runs it to the end, records the outcomes. Returns how many ran.
    @discardableResult
    public func runOnce(limit: Int? = nil) async throws -> Int {
        let kinds = await self.claimableKinds()
        var batch = try await self.queue.claim(
            limit: limit ?? self.config.batchSize, worker: self.config.name, lease: self.config.lease, kinds: kinds.all)
        // An integration due for its probe gets one job. Claiming all its due jobs to run one and give the rest
        // back wrote every waiting job twice per probe: during a long outage, writes for nothing.
        for probeKinds in kinds.probes {
            batch += try await self.queue.claim(
                limit: 1, worker: self.config.name, lease: self.config.lease, kinds: probeKinds)
        }
        guard !batch.isEmpty else { return 0 }
        let outcomes = await withTaskGroup(of: (Job, Outcome).self) { group -> [(Job, Outcome)] in
            var next = batch.makeIterator()
            // At most `concurrency` jobs at once, however large the batch.
            for _ in 0..<self.config.concurrency {
                guard let job = next.next() else { break }
                group.addTask { (job, await self.attempt(job)) }
            }
            var outcomes: [(Job, Outcome)] = []
            outcomes.reserveCapacity(batch.count)
            for await result in group {
                outcomes.append(result)
                if let more = next.next() { group.addTask { (more, await self.attempt(more)) } }
            }
            return outcomes
        }
        var done: [Int] = []
        var failures: [(Job, any Error)] = []
        var waiting: [Int] = []
        var waitUntil = WallClock.nowMillis
        for (job, outcome) in outcomes {
            switch outcome {
            case .done: done.append(job.id)
            case .failed(let error): failures.append((job, error))
            case .waiting(let delay):
                waiting.append(job.id)
                waitUntil = max(waitUntil, WallClock.nowMillis + delay.milliseconds)
            }
        }
        try await self.queue.complete(done, worker: self.config.name)
        try await self.queue.release(waiting, worker: self.config.name, until: waitUntil)
        for (job, error) in failures {
            let delay = self.config.retry.delay(afterAttempt: job.attempts)
            let deadNow = (error as? any PermanentJobFailure)?.isFinal == true
            self.logger.warning(
                "job failed",
                metadata: [
                    "job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempts)/\(job.maxAttempts)",
                    "error": "\(error)",
                    "final": "\(deadNow)",
                ]
            )
            // A final failure is not tried again: the queue is told this attempt was the last one (the row keeps
            // its real counts), so the job is dead now, with its reason.
            var failed = job
            if deadNow { failed.maxAttempts = job.attempts }
            try await self.queue.fail(failed, worker: self.config.name, error: "\(error)", retryAfter: delay)
        }
        return batch.count
    }

    /// How one claimed job ended.
    enum Outcome {
        case done
        case failed(any Error)
        /// Not tried: its integration's breaker is open.
        case waiting(Duration)
    }

    /// The kinds worth claiming now: `all`, those whose integration's breaker is closed (or that call none), as
    /// many as a batch holds; and per integration due for its probe, its kinds, to take one job of.
    func claimableKinds() async -> (all: [String], probes: [[String]]) {
        var all: [String] = []
        var probes: [String: [String]] = [:]
        for (kind, handler) in self.handlers {
            guard let integration = handler.integration, let breaker = self.breakers[integration] else {
                all.append(kind)
                continue
            }
            switch await breaker.intake() {
            case .all: all.append(kind)
            case .one: probes[integration, default: []].append(kind)
            case .nothing: break
            }
        }
        return (all, Array(probes.values))
    }

    /// Runs a job through its integration's breaker.
    private func attempt(_ job: Job) async -> Outcome {
        guard let integration = self.handlers[job.kind]?.integration, let breaker = self.breakers[integration] else {
            return await self.execute(job).map(Outcome.failed) ?? .done
        }
        if case .wait(let delay) = await breaker.admit() { return .waiting(delay) }
        let error = await self.execute(job)
        await breaker.record(success: error == nil || error is any PermanentJobFailure)
        return error.map(Outcome.failed) ?? .done
    }

    /// Runs one job with its handler, its timeout and its context; returns the error if it failed.
    private func execute(_ job: Job) async -> (any Error)? {
        guard let handler = self.handlers[job.kind] else { return JobError.noHandler(kind: job.kind) }
        // Structurally impossible (workers are services, not request handlers), and kept that way.
        if let path = VisitorScope.current { return JobError.onVisitorRequest(path: path) }
        let context = JobContext(worker: self.config.name, jobID: job.id, attempt: job.attempts)
        let timeout = self.config.jobTimeout
        do {
            try await JobContext.$current.withValue(context) {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        try await handler.run(job, logger: self.logger)
                        return true
                    }
                    group.addTask {
                        try await Task.sleep(for: timeout)
                        return false
                    }
                    let finished = try await group.next() ?? false
                    group.cancelAll()
                    if !finished { throw JobError.timedOut(after: timeout) }
                }
            }
            return nil
        } catch {
            return error
        }
    }
}
