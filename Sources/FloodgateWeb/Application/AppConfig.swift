import Configuration
import FloodgateIntegrations
import FloodgateStore
import Foundation
import Logging

/// Everything `floodgate serve` needs to start, read once from configuration.
///
/// Keys (scoped under `floodgate`, so the environment spells them `FLOODGATE_PORT`, …):
/// `host`, `port`, `data`, `database.url`, `demo`, `log.level`, `catalog.cache.ms`, `role`, `jobs.concurrency`,
/// `smtp.url`, `public.url`, `cashier.url` (+ `cashier.login`, `.password`, `.group`, `.inn`, `.vat`), `admin.token` or
/// `admin.token.file`,
/// `jobs.lease.ms`, `jobs.retry.base.ms`, `jobs.breaker.threshold`, `jobs.breaker.cooldown.ms`, `faults`,
/// `waitlist.hold.minutes`, `tours.days.ahead`; `admission.…` (see ``AdmissionSettings``).
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
    /// What this process runs: the web server, the job worker, or both (the default on one machine).
    public var role: Role
    /// Most jobs this process's worker runs at once.
    public var workerConcurrency: Int
    /// `smtp://HOST:PORT` of the mail relay; without one, emails are written as .eml files under `data/mail`.
    public var smtpURL: String?
    /// The address customers reach the shop at; links in emails start with it.
    public var publicURL: String
    /// The online cash register; without it, receipt jobs wait in the queue until one is configured.
    public var cashier: CashierSettings?
    /// Bearer token for `/api/v1/admin/…`; without one the admin API answers 401 to everyone. Read from
    /// configuration it has at least ``adminTokenMinimumLength`` characters.
    public var adminToken: String?
    /// How long a claimed job stays its worker's before another may take it over.
    public var jobLease: Duration = .seconds(60)
    /// Failures in a row that open an integration's circuit breaker, and its first pause.
    public var breakerThreshold = 5
    public var breakerCooldown: Duration = .seconds(5)
    /// First back-off after a failed job attempt (doubling, with jitter, up to ten minutes).
    public var retryBase: Duration = .seconds(2)
    /// Deliberate faults for drills and benchmarks: `runaway-task` registers a task that loops on queries.
    public var faults: Set<String> = []
    /// Admission control, deadlines and per-client limits.
    public var admission = AdmissionSettings()
    /// How long a waiting-list offer holds a place for the person it was made to.
    public var waitlistHoldMinutes = 30
    /// How many days ahead tours are generated from weekly templates.
    public var tourDaysAhead = 28

    /// What a `floodgate` process runs.
    public enum Role: String, Sendable, CaseIterable {
        case all
        case web
        case worker

        var runsWeb: Bool { self != .worker }
        var runsWorker: Bool { self != .web }
    }

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "var", database: DatabaseURL? = nil,
                loadDemo: Bool = true, logLevel: Logger.Level = .info, catalogCacheTTL: Duration = .seconds(1),
                role: Role = .all, workerConcurrency: Int = 4, smtpURL: String? = nil, publicURL: String? = nil) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.database = database ?? .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("floodgate.sqlite").path)
        self.loadDemo = loadDemo
        self.logLevel = logLevel
        self.catalogCacheTTL = catalogCacheTTL
        self.role = role
        self.workerConcurrency = workerConcurrency
        self.smtpURL = smtpURL
        self.publicURL = publicURL ?? "http://\(host):\(port)"
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
        let roleName = config.string(forKey: "role", default: "all")
        guard let role = Role(rawValue: roleName) else {
            throw ConfigError.invalid(key: "role", value: roleName, hint: "all, web or worker")
        }
        self.init(
            host: config.string(forKey: "host", default: "127.0.0.1"),
            port: try Self.integer(config, "port", default: 8080, in: 0...65_535),
            dataDirectory: data, database: database,
            loadDemo: try Self.flag(config, "demo", default: true), logLevel: level,
            catalogCacheTTL: .milliseconds(try Self.integer(config, "catalog.cache.ms", default: 1_000, in: 0...60_000)),
            role: role, workerConcurrency: try Self.integer(config, "jobs.concurrency", default: 4, in: 1...64),
            smtpURL: config.string(forKey: "smtp.url"), publicURL: config.string(forKey: "public.url")
        )
        if let url = config.string(forKey: "cashier.url") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigError.invalid(key: "cashier.url", value: url, hint: "http(s)://HOST:PORT/PATH of the cash register API")
            }
            let defaults = CashierSettings(baseURL: url)
            self.cashier = CashierSettings(
                baseURL: url, login: config.string(forKey: "cashier.login", default: defaults.login),
                password: config.string(forKey: "cashier.password", isSecret: true, default: defaults.password),
                group: config.string(forKey: "cashier.group", default: defaults.group), inn: config.string(forKey: "cashier.inn", default: defaults.inn),
                vat: config.string(forKey: "cashier.vat", default: defaults.vat)
            )
        }
        self.adminToken = try Self.adminToken(config)
        self.jobLease = .milliseconds(try Self.integer(config, "jobs.lease.ms", default: 60_000, in: 500...3_600_000))
        self.breakerThreshold = try Self.integer(config, "jobs.breaker.threshold", default: 5, in: 1...1_000)
        self.breakerCooldown = .milliseconds(try Self.integer(config, "jobs.breaker.cooldown.ms", default: 5_000, in: 100...600_000))
        self.retryBase = .milliseconds(try Self.integer(config, "jobs.retry.base.ms", default: 2_000, in: 10...600_000))
        let faults = Set(config.string(forKey: "faults", default: "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let known: Set<String> = ["runaway-task"]
        if let unknown = faults.subtracting(known).first {
            throw ConfigError.invalid(key: "faults", value: unknown, hint: "a comma-separated list of: \(known.sorted().joined(separator: ", "))")
        }
        self.faults = faults
        self.admission = try AdmissionSettings(config: config)
        self.waitlistHoldMinutes = try Self.integer(config, "waitlist.hold.minutes", default: 30, in: 1...10_080)
        self.tourDaysAhead = try Self.integer(config, "tours.days.ahead", default: 28, in: 1...366)
    }

    /// The fewest characters an admin token may have: a shorter one could be guessed.
    public static let adminTokenMinimumLength = 32

    /// The admin API's bearer token: `admin.token`, or what the file `admin.token.file` holds (without the line
    /// break at its end), so that the token need not be on a command line, where `ps` shows it to everyone. A token
    /// shorter than ``adminTokenMinimumLength`` or with anything but visible ASCII in it is an error.
    static func adminToken(_ config: ConfigReader) throws -> String? {
        let given = config.string(forKey: "admin.token", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        var token = given
        var key = "admin.token"
        if let path = config.string(forKey: "admin.token.file"), !path.isEmpty {
            guard given == nil else {
                throw ConfigError.invalid(key: "admin.token.file", value: path, hint: "either admin.token or admin.token.file, not both")
            }
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigError.invalid(key: "admin.token.file", value: path, hint: "a readable file holding the admin API's bearer token")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            key = "admin.token.file"
        }
        guard let token else { return nil }
        // The token itself is never printed, only what is wrong with it.
        guard token.count >= Self.adminTokenMinimumLength, token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ConfigError.invalid(
                key: key, value: "a token of \(token.count) characters",
                hint: "at least \(Self.adminTokenMinimumLength) visible ASCII characters without spaces, e.g. from `openssl rand -hex 32`"
            )
        }
        return token
    }

    /// A whole number in range, the default when absent; a value that is there but wrong is an error
    /// (`FLOODGATE_PORT=80a` must not quietly start on 8080).
    static func integer(_ config: ConfigReader, _ key: ConfigKey, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        let name = key.components.joined(separator: ".")
        if let number = config.int(forKey: key) {
            guard range.contains(number) else {
                throw ConfigError.invalid(key: name, value: "\(number)", hint: "\(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        if let text = config.string(forKey: key) {
            throw ConfigError.invalid(key: name, value: text, hint: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A time in seconds (`30`, `2.5`) within range, the default when absent; anything else is an error.
    static func seconds(_ config: ConfigReader, _ key: ConfigKey, default value: Double, in range: ClosedRange<Double>) throws -> Duration {
        let name = key.components.joined(separator: ".")
        let seconds: Double
        if let number = config.double(forKey: key) ?? config.int(forKey: key).map({ Double($0) }) {
            seconds = number
        } else if let text = config.string(forKey: key) {
            // Environment variables and `.env` lines arrive as text.
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                throw ConfigError.invalid(key: name, value: text, hint: "a number of seconds from \(range.lowerBound) to \(range.upperBound)")
            }
            seconds = number
        } else {
            seconds = value
        }
        guard range.contains(seconds) else {
            throw ConfigError.invalid(key: name, value: "\(seconds)", hint: "a number of seconds from \(range.lowerBound) to \(range.upperBound)")
        }
        return .milliseconds(Int((seconds * 1_000).rounded()))
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`), the default when absent; anything else is an error.
    static func flag(_ config: ConfigReader, _ key: ConfigKey, default value: Bool) throws -> Bool {
        try Self.flag(config, key) ?? value
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`), nil when absent; anything else is an error.
    static func flag(_ config: ConfigReader, _ key: ConfigKey) throws -> Bool? {
        if let flag = config.bool(forKey: key) { return flag }
        guard let text = config.string(forKey: key) else { return nil }
        switch text.lowercased() {
        case "1", "yes", "on", "true": return true
        case "0", "no", "off", "false": return false
        default: throw ConfigError.invalid(key: key.components.joined(separator: "."), value: text, hint: "true or false")
        }
    }

    /// Where emails go when no SMTP relay is configured.
    public var mailDirectory: String {
        URL(fileURLWithPath: self.dataDirectory).appendingPathComponent("mail").path
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
