import FloodgateCore
import Logging
import SQLKit
import Synchronization

/// SQLite's single writer, committing the transactions that queue up while it works in one go.
///
/// Each transaction runs in a savepoint of a shared `BEGIN IMMEDIATE … COMMIT`: one that throws is
/// rolled back to its savepoint alone, the others commit together with one fsync. Nobody is answered
/// before that COMMIT has returned, so "answered" still means "on disk"; if the COMMIT fails, every
/// transaction of the group fails. Transactions run one after another in arrival order.
final class GroupCommitWriter: Sendable {
    /// One queued transaction: runs its body, then is told whether the group committed.
    private struct Work: Sendable {
        let run: @Sendable (any SQLDatabase) async -> Outcome
        /// Raced against the request's deadline: if it passes while the work waits for the writer, the work
        /// is answered ``DeadlineExceeded`` at that moment and never starts.
        let claim: DeadlineClaim
        /// Answers the caller with an error without running the body (its group failed first, or the writer closed).
        let abandon: @Sendable (any Error) -> Void
    }

    /// A body's result, waiting for the group's COMMIT to be delivered.
    private struct Outcome: Sendable {
        let succeeded: Bool
        let finish: @Sendable ((any Error)?) -> Void
    }

    /// Most transactions in one group, so one group's latency stays small.
    static let maxGroup = 64

    private let connection: DirectSQLiteConnection
    private let thread: ThreadExecutor
    private let logger: Logger
    private let queue = WorkQueue()
    private let doorbell: AsyncStream<Void>.Continuation
    private let loop: Task<Void, Never>

    /// Opens the file's writer: its connection with `pragmas` set, on a thread of its own at a raised priority.
    ///
    /// The connection is opened and closed on that thread too: SQLite blocks while it does (a WAL checkpoint
    /// at close can take a while), and Swift's shared pool must never wait on it.
    static func open(path: String, pragmas: [String], logger: Logger) async throws -> GroupCommitWriter {
        let thread = ThreadExecutor(nice: ThreadExecutor.urgent)
        do {
            let connection = try await withTaskExecutorPreference(thread) {
                let connection = try DirectSQLiteConnection(path: path)
                do {
                    for pragma in pragmas {
                        try await SQLiteBackend.retryingWhileBusy { try connection.run(pragma, []) { _ in } }
                    }
                } catch {
                    connection.close()
                    throw error
                }
                return connection
            }
            if try await !thread.raised.get() {
                logger.warning(
                    "The SQLite writer's thread runs at normal priority (raising it needs CAP_SYS_NICE): under overload, orders wait for a core with everything else."
                )
            }
            return GroupCommitWriter(connection: connection, thread: thread, logger: logger)
        } catch {
            await thread.shutdown()
            throw error
        }
    }

    /// Takes over `connection`: from now on only the writer's loop uses it, on `thread`.
    private init(connection: DirectSQLiteConnection, thread: ThreadExecutor, logger: Logger) {
        self.connection = connection
        self.thread = thread
        self.logger = logger
        let (stream, doorbell) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.doorbell = doorbell
        let queue = self.queue
        let db = DirectSQLiteDatabase(connection: connection, logger: logger, eventLoop: thread.loop)
        self.loop = Task(executorPreference: thread) {
            for await _ in stream {
                while true {
                    var group = queue.take(Self.maxGroup)
                    if group.isEmpty { break }
                    // Work whose deadline came first has been answered already.
                    group.removeAll { $0.claim.isExpired }
                    if group.isEmpty { continue }
                    await Self.commit(group, on: db, logger: logger)
                }
            }
        }
    }

    /// Queues `body`; with a `deadline`, it is answered ``DeadlineExceeded`` instead if the writer reaches it too late.
    func transaction<T: Sendable>(
        deadline: ContinuousClock.Instant? = nil, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let claim = DeadlineClaim()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let work = Work(
                run: { db in
                    do {
                        let value = try await body(db)
                        return Outcome(succeeded: true) { commitError in
                            if let commitError {
                                continuation.resume(throwing: commitError)
                            } else {
                                continuation.resume(returning: value)
                            }
                        }
                    } catch {
                        return Outcome(succeeded: false) { _ in continuation.resume(throwing: error) }
                    }
                },
                claim: claim,
                abandon: { error in continuation.resume(throwing: error) }
            )
            if let deadline { claim.arm(at: deadline) { continuation.resume(throwing: DeadlineExceeded()) } }
            self.queue.append(work)
            self.doorbell.yield()
        }
    }

    private static func commit(_ group: [Work], on db: any SQLDatabase, logger: Logger) async {
        // A group of one needs no savepoint: its own ROLLBACK isolates it.
        let alone = group.count == 1
        var outcomes: [Outcome] = []
        var next = 0
        // Started (its deadline can no longer answer it) but without an outcome yet.
        var running: Work?
        do {
            try await db.raw("BEGIN IMMEDIATE").run()
            while next < group.count {
                let work = group[next]
                next += 1
                // Claimed only now, as its body is about to run: a transaction whose deadline passed while it
                // waited — for the writer, or behind this group's earlier bodies — was answered then; skip it.
                guard work.claim.start() else { continue }
                running = work
                // Savepoints are not released: COMMIT releases them all, and a RELEASE would be one more
                // statement per transaction. `ROLLBACK TO` undoes back to the newest savepoint of that name — this
                // transaction's — and leaves the earlier ones' work alone.
                if !alone { try await db.raw("SAVEPOINT work").run() }
                let outcome = await work.run(db)
                running = nil
                if !alone && !outcome.succeeded { try await db.raw("ROLLBACK TO work").run() }
                outcomes.append(outcome)
            }
            if alone && outcomes.first?.succeeded != true {
                try await db.raw("ROLLBACK").run()
            } else {
                try await db.raw("COMMIT").run()
            }
            for outcome in outcomes { outcome.finish(nil) }
        } catch {
            // The group's state is unknown: undo all of it and tell everyone, including bodies not yet run.
            logger.error(
                "group commit failed", metadata: ["error": "\(String(reflecting: error))", "size": "\(group.count)"])
            try? await db.raw("ROLLBACK").run()
            for outcome in outcomes { outcome.finish(error) }
            running?.abandon(error)
            for work in group[next...] where work.claim.start() { work.abandon(error) }
        }
    }

    /// Stops taking transactions; any still queued are answered with ``DatabaseError/closed``.
    func close() async {
        self.doorbell.finish()
        await self.loop.value
        for work in self.queue.take(Int.max) where work.claim.start() { work.abandon(DatabaseError.closed) }
        await withTaskExecutorPreference(self.thread) { self.connection.close() }
        await self.thread.shutdown()
    }

    /// The transactions waiting for the writer, in arrival order.
    private final class WorkQueue: Sendable {
        private let items = Mutex<[Work]>([])

        func append(_ work: Work) {
            self.items.withLock { $0.append(work) }
        }

        /// Removes and returns up to `count` of the oldest.
        func take(_ count: Int) -> [Work] {
            self.items.withLock { items in
                let taken = Array(items.prefix(count))
                items.removeFirst(taken.count)
                return taken
            }
        }
    }
}
