import Configuration
import FloodgateCore
import FloodgateStore
import FloodgateWeb
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the shop from configuration: reads every layer's settings from `reader` and calls
/// ``buildApplication(settings:onServerRunning:)``.
public func buildApplication(reader: ConfigReader) async throws -> some ApplicationProtocol {
    try await buildApplication(settings: try AppSettings(reader: reader))
}

/// Builds the shop: opens and migrates the database, loads the demo if asked, builds the repositories, and wires
/// the web server with the job worker beside it (unless `settings.role` is `web`).
///
/// The binary and the tests call this same function, so what is tested is what runs.
public func buildApplication(
    settings: AppSettings, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let logger = settings.logger()
    let database = try await Database.open(settings.store.database, logger: logger)
    var worker: [any Service] = []
    do {
        // Another instance starting at once may hold the SQLite file for a while: both migrate and load the demo once.
        _ = try await database.retryingWhileAnotherStarts {
            try await Migrator(database: database).migrate(logger: logger)
        }
        if settings.store.loadDemo {
            let demo = DemoData(database: database, photosDirectory: settings.store.photosDirectory)
            _ = try await database.retryingWhileAnotherStarts { try await demo.loadIfEmpty(logger: logger) }
        }
        let visitors = VisitorLoad()
        return try await buildWebApplication(
            http: settings.http.resolved(for: database.engine), store: settings.store,
            repositories: .sql(database: database, settings: settings.store), visitors: visitors, logger: logger,
            onServerRunning: onServerRunning
        ) {
            if settings.role.runsWorker {
                worker = try await buildWorker(
                    database: database, settings: settings, visitors: visitors, logger: logger)
            }
            // Services stop in reverse order: the HTTP server first, then the worker, then the databases.
            let head = AuditHeadReporter(database: database, settings: settings, logger: logger)
            return [DatabaseService(database: database), head] + worker
        }
    } catch {
        // The worker's own connections too, when the web side could not be built after it.
        for case let service as DatabaseService in worker { await service.database.close() }
        await database.close()
        throw error
    }
}

extension HTTPSettings {
    /// The settings with what depends on the database engine decided.
    func resolved(for engine: Database.Engine) -> HTTPSettings {
        var http = self
        if engine == .postgres {
            // Checkouts in flight never take the whole pool (20 connections); page reads keep some.
            http.admission.checkoutLimit = min(http.admission.checkoutLimit, 16)
        }
        // A checkout's request on its connection's own event loop cut checkouts' p99 on PostgreSQL and raised it on
        // SQLite, where the single writer is the queue anyway.
        http.admission.checkoutOnLoop = http.admission.checkoutOnLoop ?? (engine == .postgres)
        return http
    }
}

/// Closes the database after the HTTP server has stopped (services stop in reverse order).
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await self.database.close()
    }
}
