import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteKit
import Synchronization

/// SQLite: one writer connection that commits transactions in groups, and a small round-robin pool of
/// reader connections.
final class SQLiteBackend: Sendable {
    let writer: GroupCommitWriter
    let readers: [SQLiteConnection]
    let threadPool: NIOThreadPool
    let nextIndex = Atomic<Int>(0)
    /// False for a bulkhead that borrows another backend's writer: closing it leaves the writer open.
    let ownsWriter: Bool

    private init(
        writer: GroupCommitWriter, readers: [SQLiteConnection], threadPool: NIOThreadPool, ownsWriter: Bool = true
    ) {
        self.writer = writer
        self.readers = readers
        self.threadPool = threadPool
        self.ownsWriter = ownsWriter
    }

    /// Reader connections and threads of its own, the single writer of `shared`: what a worker gets so its
    /// reads (a heavy task's included) never queue behind or in front of visitors' reads.
    static func bulkhead(
        sharing shared: SQLiteBackend, path: String, readers: Int, logger: Logger
    ) async throws -> SQLiteBackend {
        let threadPool = NIOThreadPool(numberOfThreads: readers)
        threadPool.start()
        var pool: [SQLiteConnection] = []
        do {
            for _ in 0..<max(1, readers) {
                let connection = try await SQLiteConnection.open(
                    storage: .file(path: path), threadPool: threadPool, logger: logger,
                    on: MultiThreadedEventLoopGroup.singleton.any()
                )
                pool.append(connection)
                for pragma in ["PRAGMA busy_timeout=5000", "PRAGMA query_only=ON"] {
                    try await Self.retryingWhileBusy { try await connection.sql().raw(SQLQueryString(pragma)).run() }
                }
            }
        } catch {
            for connection in pool { try? await connection.close() }
            try? await threadPool.shutdownGracefully()
            throw error
        }
        return SQLiteBackend(writer: shared.writer, readers: pool, threadPool: threadPool, ownsWriter: false)
    }

    static func open(path: String, readers: Int, logger: Logger) async throws -> SQLiteBackend {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A pool of its own so that reads never wait behind file serving; the writer has threads of its own.
        let threadPool = NIOThreadPool(numberOfThreads: readers)
        threadPool.start()
        var opened: [SQLiteConnection] = []
        func connect(_ pragmas: [String]) async throws -> SQLiteConnection {
            let connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threadPool, logger: logger,
                on: MultiThreadedEventLoopGroup.singleton.any()
            )
            opened.append(connection)
            // The busy timeout first: another process may hold the file while this one sets up.
            for pragma in ["PRAGMA busy_timeout=5000"] + pragmas {
                try await Self.retryingWhileBusy { try await connection.sql().raw(SQLQueryString(pragma)).run() }
            }
            return connection
        }
        do {
            // WAL lets readers work while the writer commits; synchronous=FULL makes every commit durable
            // (the WAL is fsynced before COMMIT returns), which is the promise behind a 201. temp_store=MEMORY
            // keeps the savepoint journals of group commit in memory instead of writing every touched page to
            // a temporary file (they only matter until the COMMIT). A 64 MB page cache for the writer (SQLite's
            // default is 2 MB): with a million orders every checkout touches pages of the order indexes all over
            // the file, and re-reading them would make checkouts slower than on an empty shop.
            let writer = try await GroupCommitWriter.open(
                path: path,
                pragmas: [
                    "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
                    "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-65536",
                ], logger: logger)
            var pool: [SQLiteConnection] = []
            do {
                for _ in 0..<max(1, readers) { pool.append(try await connect(["PRAGMA query_only=ON"])) }
            } catch {
                await writer.close()
                throw error
            }
            return SQLiteBackend(writer: writer, readers: pool, threadPool: threadPool)
        } catch {
            for connection in opened { try? await connection.close() }
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    /// See ``Database/rebuildingTransaction(_:)``.
    func rebuildingTransaction<T: Sendable>(
        path: String, logger: Logger, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: self.threadPool, logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        let db = connection.sql()
        do {
            // Another instance starting at once may hold the file in ways the busy handler does not wait for.
            try await Self.retryingWhileBusy { try await db.raw("PRAGMA busy_timeout=5000").run() }
            try await Self.retryingWhileBusy { try await db.raw("BEGIN IMMEDIATE").run() }
            do {
                let result = try await body(db)
                let broken = try await db.raw("PRAGMA foreign_key_check").all()
                guard broken.isEmpty else {
                    throw DatabaseError.migrationFailed(version: 0, reason: "\(broken.count) broken references")
                }
                try await db.raw("COMMIT").run()
                try await connection.close()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Runs set-up work again while another process holds the file in a way SQLite's busy handler does not
    /// wait for (switching a new file to WAL, recovering a WAL): up to `attempts` times, 100 ms apart (each attempt
    /// may itself wait out the busy timeout), and with a `deadline` not after it; then the error stands.
    static func retryingWhileBusy<T>(
        attempts: Int = 50, deadline: ContinuousClock.Instant? = nil, _ work: () async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            let again = attempt < attempts && deadline.map { ContinuousClock.now < $0 } ?? true
            do {
                return try await work()
            } catch let error as SQLiteError
                where [.busy, .busyInRecovery, .busyTimeout, .locked].contains(error.reason) && again
            {
                try await Task.sleep(for: .milliseconds(100))
            } catch let error as SQLiteFailure where error.isBusy && again {
                try await Task.sleep(for: .milliseconds(100))
            }
            attempt += 1
        }
    }

    func nextReader() -> any SQLDatabase {
        let index = self.nextIndex.add(1, ordering: .relaxed).newValue
        return self.readers[index % self.readers.count].sql(queryLogLevel: nil)
    }

    func transaction<T: Sendable>(
        deadline: ContinuousClock.Instant? = nil, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await self.writer.transaction(deadline: deadline, body)
    }

    func close() async {
        if self.ownsWriter { await self.writer.close() }
        for connection in self.readers { try? await connection.close() }
        try? await self.threadPool.shutdownGracefully()
    }
}
