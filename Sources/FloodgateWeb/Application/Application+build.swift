import FloodgateCore
import FloodgateIntegrations
import FloodgateJobs
import FloodgateStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the shop: opens and migrates the database, loads the demo if asked, and wires every route.
///
/// The binary and the tests call this same function, so what is tested is what runs.
public func buildApplication(
    config: AppConfig,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "floodgate")
    logger.logLevel = config.logLevel
    let database = try await Database.open(config.database, logger: logger)
    do {
        try await Migrator(database: database).migrate(logger: logger)
        if config.loadDemo {
            try await DemoData(database: database, photosDirectory: config.photosDirectory).loadIfEmpty(logger: logger)
        }
        let views = try await Views.load(pageTTL: config.catalogCacheTTL)
        let load = VisitorLoad()
        var admission = config.admission
        // PostgreSQL: checkouts in flight never take the whole pool (20 connections); page reads keep some.
        if database.engine == .postgres { admission.checkoutLimit = min(admission.checkoutLimit, 16) }
        let gates = admission.enabled ? AdmissionGates(settings: admission) : nil
        if admission.enabled, try await !AdmissionMiddleware.checkoutLane.raised.get() {
            logger.warning("Checkouts run at normal priority (raising it needs CAP_SYS_NICE): under overload they wait for a core with pages.")
        }
        let clients = ClientLimits(settings: admission)
        let times = ShopTimes()
        let router = try buildRouter(
            database: database, views: views, config: config, gates: gates, clients: clients, times: times, load: load, logger: logger
        )
        // Services stop in reverse order: the HTTP server first, then the worker, then the databases.
        var services: [any Service] = [DatabaseService(database: database)]
        if let gates { services.append(AdmissionReporter(gates: gates, logger: logger)) }
        if config.role.runsWorker { services += try await buildWorker(database: database, config: config, visitors: load, logger: logger) }
        let pages = views.pages
        let checkoutOnLoop = admission.checkoutOnLoop ?? (database.engine == .postgres)
        // Fresh catalog and product pages are answered on the connection, before the router (CachedPageHandler).
        // Idle and slow connections are closed first of all (ConnectionDeadlineHandler), so they cannot hold the connection cap.
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [
            ConnectionDeadlineHandler(settings: config.admission),
            CachedPageHandler(pages: pages, clients: clients, times: times, serverName: "floodgate"),
            ShopTimingHandler(times: times, checkoutOnLoop: checkoutOnLoop),
        ])
        return Application(
            router: router,
            server: checkoutOnLoop ? .http1CheckoutsOnTheirLoop(configuration: http1) : .http1(configuration: http1),
            // At most this many connections; past it the kernel's backlog holds newcomers until one closes, instead
            // of the process spending its cores on accepting and refusing (the "too many connections" of the story).
            configuration: .init(
                address: .hostname(config.host, port: config.port), serverName: "floodgate", backlog: config.admission.backlog,
                availableConnectionsDelegate: .maximum(config.admission.maxConnections, logger: logger)
            ),
            services: services,
            onServerRunning: onServerRunning,
            logger: logger
        )
    } catch {
        await database.close()
        throw error
    }
}

/// Routes: the JSON API under `/api/v1`, the storefront under `/s/{store}/`, static assets and photos.
func buildRouter(
    database: Database, views: Views, config: AppConfig, gates: AdmissionGates?, clients: ClientLimits, times: ShopTimes, load: VisitorLoad,
    logger: Logger
) throws -> Router<AppRequestContext> {
    let stores = CachingStoreRepository(SQLStoreRepository(database: database), ttl: config.catalogCacheTTL)
    let catalog = CachingCatalogRepository(SQLCatalogRepository(database: database), ttl: config.catalogCacheTTL)
    let windows = SQLDeliveryWindowRepository(database: database)
    // The catalog's "next free delivery" line may lag by the cache time. A checkout may be checked against
    // these caches too, but its write confirms them (``CheckoutMemory``): no order is taken on a stale one.
    let cachedWindows = CachingDeliveryWindowRepository(windows, ttl: config.catalogCacheTTL)
    let orders = SQLOrderRepository(database: database, memory: CheckoutMemory(catalog: catalog, windows: cachedWindows))
    let tours = SQLTourRepository(database: database, holdMinutes: config.waitlistHoldMinutes)
    let waitlists = SQLWaitlistRepository(database: database, holdMinutes: config.waitlistHoldMinutes)

    // HEAD is GET without the body, everywhere (MethodNotAllowed counts on it).
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let sameOrigin = SameOriginPosts(publicURL: config.publicURL)
    let waitingRoom = WaitingRoom(stores: stores, windows: cachedWindows, views: views, sameOrigin: sameOrigin)
    // Outermost: every answer (the waiting room's and errors' too) carries the security headers.
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: AdmissionMiddleware(gates: gates, clients: clients, settings: config.admission, waitingRoom: waitingRoom))
    router.add(middleware: VisitorScopeMiddleware(load: load))
    router.add(middleware: ErrorMiddleware(views: views, waitingRoom: waitingRoom))
    let staff = SQLStaffRepository(database: database)
    let adminToken = AdminAuthMiddleware(token: config.adminToken)
    router.add(middleware: BackOfficeGate(staff: staff, adminToken: adminToken))
    router.add(
        middleware: FileMiddleware(
            views.staticDirectory, urlBasePath: "/static", cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(86_400)])]), logger: logger
        )
    )
    router.add(middleware: PhotoFilesMiddleware(directory: config.photosDirectory, logger: logger))
    router.get("healthz") { _, _ in "ok" }

    let api = router.group("api/v1")
    try OpenAPIDocument.addRoutes(to: api, resourcesDirectory: views.resourcesDirectory)
    CatalogAPIController(stores: stores, catalog: catalog, windows: windows, tours: tours, waitlists: waitlists).addRoutes(to: api)
    OrdersAPIController(stores: stores, orders: orders).addRoutes(to: api)
    let admin = api.group("admin").add(middleware: adminToken)
    AdminAPIController(jobs: JobQueue(database: database), tasks: TaskStore(database: database), receipts: ReceiptRepository(database: database))
        .addRoutes(to: admin)
    AdminCatalogController(stores: stores, catalog: catalog, views: views).addRoutes(to: admin)
    AdminAdmissionController(gates: gates, clients: clients, pages: views.pages, times: times).addRoutes(to: admin)

    StorefrontController(stores: stores, catalog: catalog, windows: cachedWindows, views: views).addRoutes(to: router)
    CrawlerController(stores: stores, catalog: catalog, pages: views.pages, publicURL: config.publicURL).addRoutes(to: router)
    // A store's forms: taken only from the shop's own pages.
    let storefront = router.group("s/:store").add(middleware: sameOrigin)
    CartController(stores: stores, catalog: catalog, views: views).addRoutes(to: storefront)
    let checkout = CheckoutController(
        stores: stores, catalog: catalog, windows: windows, tours: tours, waitlists: waitlists, orders: orders, views: views
    )
    checkout.addRoutes(to: storefront)
    WaitlistController(
        stores: stores, catalog: catalog, windows: windows, tours: tours, waitlists: waitlists, checkout: checkout, views: views
    ).addRoutes(to: storefront)

    BackOfficeRoutes(
        shell: BackOfficeShell(stores: stores, views: views), staff: staff, clients: clients, orders: orders,
        admin: SQLOrderAdminRepository(database: database, holdMinutes: config.waitlistHoldMinutes), catalog: catalog, windows: windows,
        tours: tours, waitlists: waitlists, config: config
    ).addRoutes(to: router)
    // Last: a known path asked with a method it does not take answers 405 with Allow, not 404.
    MethodNotAllowed.addRoutes(to: router)
    return router
}

/// A process that only runs jobs (`floodgate worker`, `serve --role worker`): no HTTP server.
public func buildWorkerProcess(config: AppConfig) async throws -> [any Service] {
    var logger = Logger(label: "floodgate")
    logger.logLevel = config.logLevel
    let database = try await Database.open(config.database, logger: logger)
    do {
        try await Migrator(database: database).migrate(logger: logger)
        return [DatabaseService(database: database)] + (try await buildWorker(database: database, config: config, logger: logger))
    } catch {
        await database.close()
        throw error
    }
}

/// The job worker and the scheduler, in a bulkhead: connections of their own (on SQLite its own readers, the
/// shared single writer), followed by what must stop before them.
/// `visitors`: the web server's load when it runs in this process; the worker steps back while it is high.
func buildWorker(database: Database, config: AppConfig, visitors: VisitorLoad? = nil, logger: Logger) async throws -> [any Service] {
    let jobsDatabase = try await database.bulkhead(connections: database.engine == .postgres ? config.workerConcurrency + 2 : 2)
    let services: [any Service] = [DatabaseService(database: jobsDatabase)]
    let name = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    let mailer: any Mailer = try config.smtpURL.map { try SMTPMailer(url: $0) } ?? FolderMailer(folder: config.mailDirectory)
    // Say where emails and receipts go: without a relay emails are files a newcomer can open, not lost mail;
    // without a cash register receipts wait in the queue.
    logger.info("emails are delivered", metadata: ["to": "\(config.smtpURL ?? config.mailDirectory + "/*.eml")"])
    let cashier = config.cashier.map { CashierClient(settings: $0) }
    if let cashier {
        logger.info("fiscal receipts are registered", metadata: ["cash_register": "\(cashier.settings.baseURL)"])
    } else {
        logger.notice("no cash register configured (--cashier-url): receipt jobs wait in the queue")
    }
    let worker = Worker(
        queue: JobQueue(database: jobsDatabase),
        handlers: JobHandlers.all(database: jobsDatabase, mailer: mailer, cashier: cashier, publicURL: config.publicURL),
        config: WorkerConfiguration(
            name: name, concurrency: config.workerConcurrency, lease: config.jobLease, retry: RetryPolicy(base: config.retryBase),
            breakerThreshold: config.breakerThreshold, breakerCooldown: config.breakerCooldown
        ),
        visitors: visitors, logger: logger
    )
    let scheduler = Scheduler(
        database: jobsDatabase, tasks: BuiltinTasks.all(
            database: jobsDatabase, cashier: cashier, runaway: config.faults.contains("runaway-task"), holdMinutes: config.waitlistHoldMinutes,
            tourDaysAhead: config.tourDaysAhead
        ),
        worker: name, logger: logger
    )
    return services + [worker, scheduler]
}

/// Closes the database after the HTTP server has stopped (services stop in reverse order).
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await self.database.close()
    }
}
