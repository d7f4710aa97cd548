import Foundation

/// Where the shop's data lives and how long its caches may lag, as configured (`floodgate.data`,
/// `floodgate.database.url`, `floodgate.demo`, `floodgate.catalog.cache.ms`, `floodgate.waitlist.hold.minutes`, `floodgate.tours.days.ahead`).
public struct StoreSettings: Sendable {
    /// Holds the SQLite file (by default), uploaded photos and emails written as files.
    public var dataDirectory: String
    public var database: DatabaseURL
    /// Load the demo shops into an empty database.
    public var loadDemo: Bool
    /// How long catalog pages may show a product as it was (orders are always checked against the database).
    public var catalogCacheTTL: Duration
    /// How long a waiting-list offer holds a place for the person it was made to.
    public var waitlistHoldMinutes: Int
    /// How many days ahead tours are generated from weekly templates (`floodgate.tours.days.ahead`).
    public var tourDaysAhead = 28
    /// The key that signs the audit log's checkpoints when old entries are pruned (`floodgate.audit.key.file`;
    /// by default `audit.key` in the data folder, made on first use). Several instances share one file.
    public var auditKeyFile: String?

    public init(
        dataDirectory: String = "var", database: DatabaseURL? = nil, loadDemo: Bool = true,
        catalogCacheTTL: Duration = .seconds(1), waitlistHoldMinutes: Int = 30
    ) {
        self.dataDirectory = dataDirectory
        self.database =
            database
            ?? .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("floodgate.sqlite").path)
        self.loadDemo = loadDemo
        self.catalogCacheTTL = catalogCacheTTL
        self.waitlistHoldMinutes = waitlistHoldMinutes
    }

    /// Where uploaded and demo photos live.
    public var photosDirectory: String {
        URL(fileURLWithPath: self.dataDirectory).appendingPathComponent("photos").path
    }

    /// The audit key's file, as configured or in the data folder.
    public var auditKeyPath: String {
        self.auditKeyFile ?? URL(fileURLWithPath: self.dataDirectory).appendingPathComponent("audit.key").path
    }

    /// Where emails go when no SMTP relay is configured.
    public var mailDirectory: String {
        URL(fileURLWithPath: self.dataDirectory).appendingPathComponent("mail").path
    }
}
