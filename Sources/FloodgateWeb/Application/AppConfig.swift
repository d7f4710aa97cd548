import Configuration
import FloodgateStore
import Foundation
import Logging

/// Everything `floodgate serve` needs to start, read once from configuration.
///
/// Keys (scoped under `floodgate`, so the environment spells them `FLOODGATE_PORT`, …):
/// `host`, `port`, `data`, `database.url`, `demo`, `log.level`, `catalog.cache.ms`.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    /// Holds the SQLite file (by default) and uploaded photos.
    public var dataDirectory: String
    public var database: DatabaseURL
    /// Load the demo shops into an empty database.
    public var loadDemo: Bool
    public var logLevel: Logger.Level
    /// How long catalog pages may show a product as it was (orders are always checked against the database).
    public var catalogCacheTTL: Duration

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "var", database: DatabaseURL? = nil,
                loadDemo: Bool = true, logLevel: Logger.Level = .info, catalogCacheTTL: Duration = .seconds(1)) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.database = database ?? .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("floodgate.sqlite").path)
        self.loadDemo = loadDemo
        self.logLevel = logLevel
        self.catalogCacheTTL = catalogCacheTTL
    }

    /// Reads the configuration; a malformed value is an error at start-up, not a surprise later.
    public init(reader: ConfigReader) throws {
        let config = reader.scoped(to: "floodgate")
        let data = config.string(forKey: "data", default: "var")
        let database = try config.string(forKey: "database.url").map { try DatabaseURL($0) }
        let levelName = config.string(forKey: "log.level", default: "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ConfigError.invalid(key: "log.level", value: levelName, hint: "one of trace, debug, info, notice, warning, error, critical")
        }
        let port = config.int(forKey: "port", default: 8080)
        guard (0...65_535).contains(port) else { throw ConfigError.invalid(key: "port", value: "\(port)", hint: "0 to 65535") }
        self.init(
            host: config.string(forKey: "host", default: "127.0.0.1"), port: port, dataDirectory: data, database: database,
            loadDemo: config.bool(forKey: "demo", default: true), logLevel: level,
            catalogCacheTTL: .milliseconds(config.int(forKey: "catalog.cache.ms", default: 1_000))
        )
    }

    /// Where uploaded and demo photos live.
    public var photosDirectory: String {
        URL(fileURLWithPath: self.dataDirectory).appendingPathComponent("photos").path
    }
}

/// A configuration value that cannot be used.
public enum ConfigError: Error, CustomStringConvertible {
    case invalid(key: String, value: String, hint: String)

    public var description: String {
        switch self {
        case .invalid(let key, let value, let hint): "Configuration '\(key)' = '\(value)' is not valid: expected \(hint)."
        }
    }
}
