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

    private init(writer: GroupCommitWriter, readers: [SQLiteConnection], threadPool: NIOThreadPool) {
        self.writer = writer
        self.readers = readers
        self.threadPool = threadPool
    }

    static func open(path: String, readers: Int, logger: Logger) async throws -> SQLiteBackend {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A pool of its own so that fsyncs on the write path never wait behind file serving.
        let threadPool = NIOThreadPool(numberOfThreads: readers + 1)
        threadPool.start()
        let group = MultiThreadedEventLoopGroup.singleton
        func connect(_ pragmas: [String]) async throws -> SQLiteConnection {
            let connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threadPool, logger: logger, on: group.any()
            )
            for pragma in pragmas { try await connection.sql().raw(SQLQueryString(pragma)).run() }
            return connection
        }
        // WAL lets readers work while the writer commits; synchronous=FULL makes every commit durable
        // (the WAL is fsynced before COMMIT returns), which is the promise behind a 201.
        let writer = try await connect([
            "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON",
        ])
        var pool: [SQLiteConnection] = []
        for _ in 0..<max(1, readers) {
            pool.append(try await connect(["PRAGMA busy_timeout=5000", "PRAGMA query_only=ON"]))
        }
        return SQLiteBackend(writer: GroupCommitWriter(connection: writer, logger: logger), readers: pool, threadPool: threadPool)
    }

    func nextReader() -> any SQLDatabase {
        let index = self.nextIndex.add(1, ordering: .relaxed).newValue
        return self.readers[index % self.readers.count].sql(queryLogLevel: nil)
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await self.writer.transaction(body)
    }

    func close() async {
        await self.writer.close()
        for connection in self.readers { try? await connection.close() }
        try? await self.threadPool.shutdownGracefully()
    }
}
