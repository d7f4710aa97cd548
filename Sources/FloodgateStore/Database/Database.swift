import FloodgateCore
import Logging
import NIOPosix
import PostgresKit
import SQLiteKit

/// The shop's database: SQLite (embedded default) or PostgreSQL behind one SQLKit code path.
///
/// Reads go through ``read(_:)``; writes go through ``transaction(_:)``, which on SQLite holds the
/// single writer connection (`BEGIN IMMEDIATE`) and on PostgreSQL a pooled connection in a transaction,
/// or, when they are a single statement on PostgreSQL, through ``postgresSession(_:)``.
public final class Database: Sendable {
    /// Which engine answers: queries are the same, a few statements (locks, pragmas) differ.
    public enum Engine: String, Sendable {
        case sqlite
        case postgres
    }

    public let engine: Engine
    public let url: DatabaseURL
    let logger: Logger
    private let backend: Backend

    private enum Backend: Sendable {
        case sqlite(SQLiteBackend)
        case postgres(PostgresBackend)
    }

    private init(engine: Engine, url: DatabaseURL, backend: Backend, logger: Logger) {
        self.engine = engine
        self.url = url
        self.backend = backend
        self.logger = logger
    }

    /// Opens the database; ``close()`` must be called when done.
    public static func open(
        _ url: DatabaseURL, readers: Int = 4, maxConnections: Int = 20, logger: Logger
    ) async throws -> Database {
        switch url {
        case .sqlite(let path):
            let backend = try await SQLiteBackend.open(path: path, readers: readers, logger: logger)
            return Database(engine: .sqlite, url: url, backend: .sqlite(backend), logger: logger)
        case .postgres(let pg):
            let backend = PostgresBackend(pg, maxConnections: maxConnections, logger: logger)
            return Database(engine: .postgres, url: url, backend: .postgres(backend), logger: logger)
        }
    }

    /// Opens the database, runs `body` with it and closes it again, whether `body` returns or throws.
    public static func withOpened<T: Sendable>(
        _ url: DatabaseURL, maxConnections: Int = 20, logger: Logger, _ body: (Database) async throws -> T
    ) async throws -> T {
        let database = try await Database.open(url, maxConnections: maxConnections, logger: logger)
        let result: Result<T, any Error>
        do { result = .success(try await body(database)) } catch { result = .failure(error) }
        await database.close()
        return try result.get()
    }

    /// A second handle for a worker, its bulkhead: on PostgreSQL a pool of its own (`maxConnections`); on
    /// SQLite reader connections and threads of its own while writes still go through this database's
    /// single writer. Close it before this one.
    public func bulkhead(connections: Int) async throws -> Database {
        switch self.backend {
        case .sqlite(let sqlite):
            guard case .sqlite(let path) = self.url else { preconditionFailure("an SQLite backend has an SQLite URL") }
            let backend = try await SQLiteBackend.bulkhead(
                sharing: sqlite, path: path, readers: connections, logger: self.logger)
            return Database(engine: .sqlite, url: self.url, backend: .sqlite(backend), logger: self.logger)
        case .postgres:
            return try await Database.open(self.url, maxConnections: connections, logger: self.logger)
        }
    }

    /// Runs read-only work on a pooled connection; within a request, only if it can start before the
    /// request's ``RequestDeadline``.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let budget = QueryBudget.current
        switch self.backend {
        case .sqlite(let sqlite):
            try RequestDeadline.check()
            return try await body(QueryBudget.charge(sqlite.nextReader(), to: budget))
        case .postgres(let pg):
            return try await Self.onConnection(of: pg) { connection in
                try await body(QueryBudget.charge(connection.sql(queryLogLevel: nil), to: budget))
            }
        }
    }

    /// PostgreSQL only: runs `body` on one pooled connection with no transaction around it, so each statement
    /// commits by itself, and with the connection's prepared statements. For work whose writes are a single
    /// statement (PostgreSQL's one-statement checkout), which saves the `BEGIN` and `COMMIT` round trips.
    /// Deadline as for ``transaction(_:)``.
    func postgresSession<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T
    {
        guard case .postgres(let pg) = self.backend else {
            preconditionFailure("a PostgreSQL session on \(self.engine)")
        }
        let (budget, logger) = (QueryBudget.current, self.logger)
        return try await Self.onConnection(of: pg) { connection in
            try await body(
                PostgresSession(
                    sql: QueryBudget.charge(connection.sql(queryLogLevel: nil), to: budget), connection: connection,
                    budget: budget,
                    logger: logger
                )
            )
        }
    }

    /// `body` on a pooled PostgreSQL connection, if one is free before the request's deadline.
    private static func onConnection<T: Sendable>(
        of pg: PostgresBackend, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await DeadlineRace.run { started in
            try await pg.client.withConnection { connection in
                try started()
                return try await body(connection)
            }
        }
    }

    /// Runs `body` in one transaction and commits durably before returning; any thrown error rolls it back.
    ///
    /// Within a request, a transaction that cannot start (the writer's queue, a pooled connection) before the
    /// request's ``RequestDeadline`` is dropped with ``DeadlineExceeded``; one that started runs to its end.
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        // Captured here: on SQLite the body runs on the writer's task, where the caller's task-locals are not.
        let budget = QueryBudget.current
        switch self.backend {
        case .sqlite(let sqlite):
            try RequestDeadline.check()
            return try await sqlite.transaction(deadline: RequestDeadline.current) {
                try await body(QueryBudget.charge($0, to: budget))
            }
        case .postgres(let pg):
            do {
                return try await DeadlineRace.run { started in
                    try await pg.client.withConnection { connection in
                        try started()
                        return try await connection.withTransaction(logger: self.logger) { connection in
                            try await body(QueryBudget.charge(connection.sql(queryLogLevel: nil), to: budget))
                        }
                    }
                }
            } catch let error as PostgresTransactionError {
                // Callers branch on their own errors (a full window, a reused key), not on the wrapper.
                if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
                throw error
            }
        }
    }

    /// Runs a schema change that rebuilds a table other tables refer to, in one transaction.
    ///
    /// SQLite cannot change a table's constraints in place, and a rebuilt table can only replace the old one
    /// with foreign-key enforcement off — which a connection cannot switch inside a transaction, and the
    /// writer keeps on. So on SQLite this runs on a connection of its own (enforcement is off on a new one),
    /// and `PRAGMA foreign_key_check` must find every reference intact before it commits. Only for
    /// migrations, while nothing else writes. On PostgreSQL it is ``transaction(_:)``.
    public func rebuildingTransaction<T: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        guard case .sqlite(let sqlite) = self.backend, case .sqlite(let path) = self.url else {
            return try await self.transaction(body)
        }
        return try await sqlite.rebuildingTransaction(path: path, logger: self.logger, body)
    }

    /// Serialises schema changes and first-start data loads across instances starting at once.
    ///
    /// On PostgreSQL an advisory lock held until the transaction ends: a second instance waits, then sees
    /// the work done. On SQLite the single writer already serialises every transaction.
    public func lockSchema(on db: any SQLDatabase) async throws {
        if self.engine == .postgres {
            try await db.raw("SELECT pg_advisory_xact_lock(7355608)").run()
        }
    }

    /// Runs start-up work (migrations, loading the demo) again while another instance starting at once on the same
    /// SQLite file holds its write lock for longer than the busy timeout, as it may on a busy machine: up to `limit`.
    /// The work must be safe to repeat; a failed attempt has rolled back. PostgreSQL's locks wait by themselves.
    public func retryingWhileAnotherStarts<T: Sendable>(
        limit: Duration = .seconds(60), _ work: () async throws -> T
    ) async throws -> T {
        guard self.engine == .sqlite else { return try await work() }
        return try await SQLiteBackend.retryingWhileBusy(attempts: .max, deadline: .now + limit, work)
    }

    /// Closes every connection; pending work should have finished.
    public func close() async {
        // Closing must complete even when the caller's task is being cancelled (a stopping service), or
        // SQLite handles would be left open; so it runs in a task of its own.
        let backend = self.backend
        await Task {
            switch backend {
            case .sqlite(let sqlite): await sqlite.close()
            case .postgres(let pg): await pg.close()
            }
        }.value
    }
}

/// PostgreSQL: PostgresNIO's pooled client, run by a task owned by this backend, on event loops of its own.
///
/// On the event loops the HTTP server shares, each answer from PostgreSQL would wait behind the storefront's
/// work on every connection with something to read, once per round trip: under overload a checkout's few
/// milliseconds of work would take seconds, and checkouts would queue at the door.
final class PostgresBackend: Sendable {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    private let loops: MultiThreadedEventLoopGroup

    init(_ pg: DatabaseURL.Postgres, maxConnections: Int, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: pg.host, port: pg.port, username: pg.username, password: pg.password, database: pg.database,
            tls: .disable
        )
        configuration.options.maximumConnections = maxConnections
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let client = PostgresClient(configuration: configuration, eventLoopGroup: loops, backgroundLogger: logger)
        self.client = client
        self.loops = loops
        self.runner = Task { await client.run() }
    }

    func close() async {
        self.runner.cancel()
        await self.runner.value
        try? await self.loops.shutdownGracefully()
    }
}
