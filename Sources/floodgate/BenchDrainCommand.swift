import ArgumentParser
import FloodgateCore
import FloodgateJobs
import FloodgateStore
import Foundation
import Logging

/// `floodgate bench-drain`: how fast a worker empties the outbox of trivial jobs (for bench/drain.sh).
///
/// Fills a fresh database's outbox with `--jobs` no-op jobs, then runs the real ``Worker`` (claim, run,
/// complete — every step a durable transaction) until none is left, and prints one JSON line.
struct BenchDrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-drain",
        abstract: "Measure the outbox drain rate with no-op jobs (a benchmark, not for shops).", shouldDisplay: false
    )

    @Option(name: .long, help: "sqlite:PATH or postgres://… of a scratch database (its jobs table is emptied).")
    var database: String
    @Option(name: .long, help: "How many jobs to drain.") var jobs = 20_000
    @Option(name: .long, help: "Jobs running at once.") var concurrency = 4
    @Option(name: .long, help: "Jobs claimed per transaction (the worker default is 16 × concurrency).") var batch = 64

    struct Noop: JobHandler {
        let kind = "bench.noop"
        func run(_ job: Job, logger: Logger) async throws {}
    }

    func run() async throws {
        var logger = Logger(label: "bench-drain")
        logger.logLevel = .warning
        let url = try DatabaseURL(self.database)
        try await Database.withOpened(url, logger: logger) { database in
            try await Migrator(database: database).migrate(logger: logger)
            try await database.transaction { db in try await db.delete(from: "jobs").run() }
            let queue = SQLJobQueue(database: database)
            for start in stride(from: 0, to: self.jobs, by: 1_000) {
                try await queue.enqueue((start..<min(start + 1_000, self.jobs)).map { _ in NewJob(kind: "bench.noop") })
            }
            let worker = Worker(
                queue: queue, handlers: [Noop()],
                config: WorkerConfiguration(name: "bench", concurrency: self.concurrency, batchSize: self.batch),
                logger: logger
            )
            let started = ContinuousClock.now
            var drained = 0
            while drained < self.jobs {
                let ran = try await worker.runOnce()
                guard ran > 0 else { break }
                drained += ran
            }
            let elapsed = ContinuousClock.now - started
            let seconds = elapsed / .seconds(1)
            let done = try await queue.stats().count(.done)
            print(
                #"{"bench": "drain", "engine": "\#(database.engine.rawValue)", "jobs": \#(done), "batch": \#(self.batch), "#
                    + #""concurrency": \#(self.concurrency), "seconds": \#(String(format: "%.3f", seconds)), "#
                    + #""jobs_per_s": \#(String(format: "%.0f", Double(done) / seconds))}"#
            )
        }
    }
}
