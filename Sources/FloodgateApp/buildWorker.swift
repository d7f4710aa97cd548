import Configuration
import FloodgateCore
import FloodgateIntegrations
import FloodgateJobs
import FloodgateStore
import Foundation
import Logging
import ServiceLifecycle

/// A process that only runs jobs (`floodgate worker`, `serve --role worker`), read from configuration.
public func buildWorker(reader: ConfigReader) async throws -> [any Service] {
    try await buildWorker(settings: try AppSettings(reader: reader))
}

/// A process that only runs jobs: the database, the job worker and the scheduler, no HTTP server.
public func buildWorker(settings: AppSettings) async throws -> [any Service] {
    let logger = settings.logger()
    let database = try await Database.open(settings.store.database, logger: logger)
    do {
        // Another instance starting at once may hold the SQLite file for a while: both migrate and load the demo once.
        _ = try await database.retryingWhileAnotherStarts {
            try await Migrator(database: database).migrate(logger: logger)
        }
        return [DatabaseService(database: database)]
            + (try await buildWorker(database: database, settings: settings, logger: logger))
    } catch {
        await database.close()
        throw error
    }
}

/// The job worker and the scheduler, in a bulkhead: connections of their own (on SQLite its own readers, the
/// shared single writer), followed by what must stop before them.
/// `visitors`: the web server's load when it runs in this process; the worker steps back while it is high.
func buildWorker(
    database: Database, settings: AppSettings, visitors: VisitorLoad? = nil, logger: Logger
) async throws -> [any Service] {
    let worker = settings.worker
    let jobsDatabase = try await database.bulkhead(
        connections: database.engine == .postgres ? worker.concurrency + 2 : 2)
    let name = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    let mail = settings.mail
    // Say where emails and receipts go: without a relay emails are files a newcomer can open, not lost mail;
    // without a cash register receipts wait in the queue.
    logger.info("emails are delivered", metadata: ["to": "\(mail.smtpURL ?? mail.folder + "/*.eml")"])
    let cashier = settings.cashier.map { CashierClient(settings: $0) }
    if let cashier {
        logger.info("fiscal receipts are registered", metadata: ["cash_register": "\(cashier.settings.baseURL)"])
    } else {
        logger.notice("no cash register configured (--cashier-url): receipt jobs wait in the queue")
    }
    let jobs = Worker(
        queue: SQLJobQueue(database: jobsDatabase),
        handlers: JobHandlers.all(
            database: jobsDatabase, mailer: try mail.mailer(), cashier: cashier, publicURL: mail.publicURL),
        config: WorkerConfiguration(
            name: name, concurrency: worker.concurrency, lease: worker.lease,
            retry: RetryPolicy(base: worker.retryBase),
            breakerThreshold: worker.breakerThreshold, breakerCooldown: worker.breakerCooldown
        ),
        visitors: visitors, logger: logger
    )
    let scheduler = Scheduler(
        database: jobsDatabase,
        tasks: BuiltinTasks.all(
            database: jobsDatabase, cashier: cashier, runaway: worker.runawayTask,
            holdMinutes: settings.store.waitlistHoldMinutes,
            tourDaysAhead: settings.store.tourDaysAhead
        ),
        worker: name, logger: logger
    )
    return [DatabaseService(database: jobsDatabase), jobs, scheduler]
}
