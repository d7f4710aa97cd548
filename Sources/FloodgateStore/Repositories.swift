/// Every repository the shop's requests use, built once when the shop is wired and handed to the controllers.
///
/// Controllers depend on these protocols only; ``sql(database:settings:)`` is the shop's own set, and a test
/// may hand in any other (in memory, say).
public struct Repositories: Sendable {
    public var stores: any StoreRepository
    public var catalog: any CatalogRepository
    /// Delivery windows as they are now: for checkouts, the API and the back-office.
    public var windows: any DeliveryWindowRepository
    /// Delivery windows as pages may show them, up to the catalog cache's time old.
    public var cachedWindows: any DeliveryWindowRepository
    /// Orders as they were placed.
    public var orders: any OrderRepository
    /// Placing orders: each engine's own way (``SQLiteOrderWriter``, ``PostgresOrderWriter``).
    public var orderWriter: any OrderWriter
    public var tours: any TourRepository
    public var waitlists: any WaitlistRepository
    public var staff: any StaffRepository
    /// People's API tokens.
    public var tokens: any APITokenRepository
    /// The back-office's reading and changing of orders.
    public var orderAdmin: any OrderAdminRepository
    public var jobs: any JobQueue
    public var tasks: any TaskRepository
    public var receipts: any ReceiptRepository
    /// Who changed what: read by owners' pages and objects' histories (entries are written by the repositories).
    public var audit: any AuditLog

    public init(
        stores: any StoreRepository, catalog: any CatalogRepository, windows: any DeliveryWindowRepository,
        cachedWindows: any DeliveryWindowRepository, orders: any OrderRepository, orderWriter: any OrderWriter,
        tours: any TourRepository,
        waitlists: any WaitlistRepository, staff: any StaffRepository, tokens: any APITokenRepository,
        orderAdmin: any OrderAdminRepository,
        jobs: any JobQueue, tasks: any TaskRepository, receipts: any ReceiptRepository, audit: any AuditLog
    ) {
        self.stores = stores
        self.catalog = catalog
        self.windows = windows
        self.cachedWindows = cachedWindows
        self.orders = orders
        self.orderWriter = orderWriter
        self.tours = tours
        self.waitlists = waitlists
        self.staff = staff
        self.tokens = tokens
        self.orderAdmin = orderAdmin
        self.jobs = jobs
        self.tasks = tasks
        self.receipts = receipts
        self.audit = audit
    }

    /// The shop's repositories on `database`, with the catalog, stores and the pages' delivery windows cached for
    /// `settings.catalogCacheTTL`.
    public static func sql(database: Database, settings: StoreSettings) -> Repositories {
        let stores = CachingStoreRepository(SQLStoreRepository(database: database), ttl: settings.catalogCacheTTL)
        let catalog = CachingCatalogRepository(SQLCatalogRepository(database: database), ttl: settings.catalogCacheTTL)
        let windows = SQLDeliveryWindowRepository(database: database)
        // The catalog's "next free delivery" line may lag by the cache time. On PostgreSQL a checkout may be checked
        // against these caches too, but its write confirms them (``ShownCatalog``): no order is taken on a stale one.
        let cachedWindows = CachingDeliveryWindowRepository(windows, ttl: settings.catalogCacheTTL)
        let writer: any OrderWriter =
            switch database.engine {
            case .sqlite: SQLiteOrderWriter(database: database)
            case .postgres:
                PostgresOrderWriter(database: database, shown: ShownCatalog(catalog: catalog, windows: cachedWindows))
            }
        let hold = settings.waitlistHoldMinutes
        return Repositories(
            stores: stores, catalog: catalog, windows: windows, cachedWindows: cachedWindows,
            orders: SQLOrderRepository(database: database), orderWriter: writer,
            tours: SQLTourRepository(database: database, holdMinutes: hold),
            waitlists: SQLWaitlistRepository(database: database, holdMinutes: hold),
            staff: SQLStaffRepository(database: database), tokens: SQLAPITokenRepository(database: database),
            orderAdmin: SQLOrderAdminRepository(database: database, holdMinutes: hold),
            jobs: SQLJobQueue(database: database), tasks: SQLTaskRepository(database: database),
            receipts: SQLReceiptRepository(database: database),
            audit: SQLAuditLog(database: database, keyPath: settings.auditKeyPath)
        )
    }
}
