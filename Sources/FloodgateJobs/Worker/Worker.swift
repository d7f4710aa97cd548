import FloodgateCore
import FloodgateStore
import Logging
import ServiceLifecycle

/// Takes due jobs from the outbox and runs them with their handlers — the only place jobs run.
///
/// A worker never runs on a visitor's request: it is a service of its own, with its own concurrency cap
/// (and, on PostgreSQL, its own connection pool), so a saturated worker cannot take what visitors need.
/// Each job runs with a timeout under ``JobContext/current``; a failure is retried with back-off until
/// its attempts are used up, then the job is kept as dead with its last error.
public struct Worker: Service {
    let queue: JobQueue
    let handlers: [String: any JobHandler]
    let config: WorkerConfiguration
    let logger: Logger

    public init(queue: JobQueue, handlers: [any JobHandler], config: WorkerConfiguration, logger: Logger) {
        self.queue = queue
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.config = config
        var logger = logger
        logger[metadataKey: "worker"] = "\(config.name)"
        self.logger = logger
    }

    public func run() async throws {
        self.logger.info("worker started", metadata: ["concurrency": "\(self.config.concurrency)"])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let ran: Int
            do {
                ran = try await self.runOnce()
            } catch {
                // The database is away (restarting, overloaded): wait and try again, never spin.
                self.logger.error("worker could not claim jobs", metadata: ["error": "\(String(reflecting: error))"])
                ran = 0
            }
            if ran == 0 {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.config.idlePoll) }
            }
        }
        self.logger.info("worker stopped")
    }

    /// Claims one batch of due jobs, runs it to the end, records the outcomes. Returns how many ran.
    @discardableResult
    public func runOnce() async throws -> Int {
        let batch = try await self.queue.claim(limit: self.config.concurrency * 4, worker: self.config.name, lease: self.config.lease)
        guard !batch.isEmpty else { return 0 }
        let failures = await withTaskGroup(of: (Job, (any Error)?).self) { group -> [(Job, any Error)] in
            var next = batch.makeIterator()
            // At most `concurrency` jobs at once, however large the batch.
            for _ in 0..<self.config.concurrency {
                guard let job = next.next() else { break }
                group.addTask { (job, await self.execute(job)) }
            }
            var failed: [(Job, any Error)] = []
            for await (job, error) in group {
                if let error { failed.append((job, error)) }
                if let more = next.next() { group.addTask { (more, await self.execute(more)) } }
            }
            return failed
        }
        let failedIDs = Set(failures.map(\.0.id))
        try await self.queue.complete(batch.map(\.id).filter { !failedIDs.contains($0) }, worker: self.config.name)
        for (job, error) in failures {
            let delay = self.config.retry.delay(afterAttempt: job.attempts)
            self.logger.warning(
                "job failed",
                metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempts)/\(job.maxAttempts)", "error": "\(error)"]
            )
            try await self.queue.fail(job, worker: self.config.name, error: "\(error)", retryAfter: delay)
        }
        return batch.count
    }

    /// Runs one job with its handler, its timeout and its context; returns the error if it failed.
    private func execute(_ job: Job) async -> (any Error)? {
        guard let handler = self.handlers[job.kind] else { return JobError.noHandler(kind: job.kind) }
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
