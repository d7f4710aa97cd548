import FloodgateAdmission
import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The web server of the shop over `repositories`: routes, admission control and the connection handlers in front.
///
/// `FloodgateApp` opens the database, builds the repositories and calls this; `services` makes what runs beside
/// the server (the database, the worker), which stops after it.
public func buildWebApplication(
    http: HTTPSettings, store: StoreSettings, repositories: Repositories, visitors: VisitorLoad, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in },
    services: () async throws -> [any Service]
) async throws -> some ApplicationProtocol {
    let views = try await Views.load(pageTTL: store.catalogCacheTTL)
    let admission = http.admission
    let gates = admission.enabled ? AdmissionGates(settings: admission) : nil
    if admission.enabled, try await !AdmissionMiddleware.checkoutLane.raised.get() {
        logger.warning(
            "Checkouts run at normal priority (raising it needs CAP_SYS_NICE): under overload they wait for a core with pages."
        )
    }
    let clients = ClientLimits(settings: admission)
    let times = ShopTimes()
    let router = try buildRouter(
        repositories: repositories, views: views, http: http, store: store, gates: gates, clients: clients,
        times: times, load: visitors,
        logger: logger
    )
    // What runs beside the server is made once the routes are: the threads the web side starts first (the checkout
    // lane at its raised priority, the bcrypt thread) are started by this task, not by the worker's.
    var services = try await services()
    if let gates { services.append(AdmissionReporter(gates: gates, logger: logger)) }
    // Fresh catalog and product pages are answered on the connection, before the router (CachedPageHandler).
    // Idle and slow connections are closed first of all (ConnectionDeadlineHandler), so they cannot hold the connection cap.
    let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [
        ConnectionDeadlineHandler(settings: admission),
        CachedPageHandler(pages: views.pages, clients: clients, times: times, serverName: "floodgate"),
        ShopTimingHandler(times: times, checkoutOnLoop: admission.checkoutOnLoop == true),
    ])
    return Application(
        router: router,
        server: admission.checkoutOnLoop == true
            ? .http1CheckoutsOnTheirLoop(configuration: http1) : .http1(configuration: http1),
        // At most this many connections; past it the kernel's backlog holds newcomers until one closes, instead
        // of the process spending its cores on accepting and refusing (the "too many connections" of the story).
        configuration: .init(
            address: .hostname(http.host, port: http.port), serverName: "floodgate", backlog: admission.backlog,
            availableConnectionsDelegate: .maximum(admission.maxConnections, logger: logger)
        ),
        services: services,
        onServerRunning: onServerRunning,
        logger: logger
    )
}

/// Routes: the JSON API under `/api/v1`, the storefront under `/s/{store}/`, the back-office under `/admin`, static
/// assets and photos.
func buildRouter(
    repositories: Repositories, views: Views, http: HTTPSettings, store: StoreSettings, gates: AdmissionGates?,
    clients: ClientLimits,
    times: ShopTimes, load: VisitorLoad, logger: Logger
) throws -> Router<AppRequestContext> {
    let repos = repositories
    // HEAD is GET without the body, everywhere (MethodNotAllowed counts on it).
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let sameOrigin = SameOriginPosts(publicURL: http.publicURL)
    let waitingRoom = WaitingRoom(
        stores: repos.stores, windows: repos.cachedWindows, views: views, sameOrigin: sameOrigin)
    // Outermost: every answer (the waiting room's and errors' too) carries the security headers.
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(
        middleware: AdmissionMiddleware(
            gates: gates, clients: clients, settings: http.admission, waitingRoom: waitingRoom))
    router.add(middleware: VisitorScopeMiddleware(load: load))
    router.add(middleware: ErrorMiddleware(views: views, waitingRoom: waitingRoom))
    let adminToken = AdminAuthMiddleware(token: http.adminToken, tokens: repos.tokens)
    let sessions = StaffSessions(staff: repos.staff, policy: http.staffSessions, clients: clients)
    router.add(middleware: BackOfficeGate(sessions: sessions, adminToken: adminToken))
    router.add(
        middleware: FileMiddleware(
            views.staticDirectory, urlBasePath: "/static",
            cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(86_400)])]), logger: logger
        )
    )
    router.add(middleware: PhotoFilesMiddleware(directory: store.photosDirectory, logger: logger))
    router.get("healthz") { _, _ in "ok" }

    let api = router.group("api/v1")
    try OpenAPIDocument.addRoutes(to: api, resourcesDirectory: views.resourcesDirectory)
    // A store's routes hang on groups whose StoreMiddleware finds the store once, before any handler.
    let apiStore = api.group("stores/:store").add(middleware: StoreMiddleware<AppRequestContext>(stores: repos.stores))
    CatalogAPIController(repos).addRoutes(to: api, store: apiStore)
    OrdersAPIController(orders: repos.orders, writer: repos.orderWriter).addRoutes(to: apiStore)
    let admin = api.group("admin").add(middleware: adminToken).add(middleware: AdminOrigin(sessions: sessions))
    // Each group says what a person's token needs there (the deployment's admin token passes everywhere).
    let operations = admin.group().add(middleware: AdminRequires(.runTasks))
    AdminAPIController(jobs: repos.jobs, tasks: repos.tasks, receipts: repos.receipts).addRoutes(to: operations)
    AdminAdmissionController(gates: gates, clients: clients, pages: views.pages, times: times)
        .addRoutes(to: operations)
    let adminStore = admin.group("stores/:store").add(
        middleware: StoreMiddleware<AppRequestContext>(stores: repos.stores))
    AdminCatalogController(catalog: repos.catalog, views: views)
        .addRoutes(to: adminStore.group().add(middleware: AdminRequires(.editCatalog)))

    // A store's pages; its forms are taken only from the shop's own pages.
    // A cross-site post is refused before the store is looked up.
    let storefront = router.group("s/:store").add(middleware: sameOrigin).add(
        middleware: StoreMiddleware<AppRequestContext>(stores: repos.stores))
    StorefrontController(stores: repos.stores, catalog: repos.catalog, windows: repos.cachedWindows, views: views)
        .addRoutes(to: router, store: storefront)
    CrawlerController(stores: repos.stores, catalog: repos.catalog, pages: views.pages, publicURL: http.publicURL)
        .addRoutes(to: router)
    CartController(catalog: repos.catalog, views: views).addRoutes(to: storefront)
    let checkout = CheckoutController(repos, views: views)
    checkout.addRoutes(to: storefront)
    WaitlistController(repos, checkout: checkout, views: views).addRoutes(to: storefront)

    BackOfficeRoutes(
        shell: BackOfficeShell(stores: repos.stores, views: views), repositories: repos, sessions: sessions,
        secureCookies: http.publicURL.hasPrefix("https://"), photosDirectory: store.photosDirectory,
        tourDaysAhead: store.tourDaysAhead
    ).addRoutes(to: router)
    // Last: a known path asked with a method it does not take answers 405 with Allow, not 404.
    MethodNotAllowed.addRoutes(to: router)
    return router
}
