import Configuration
import FloodgateIntegrations
import FloodgateJobs
import FloodgateStore
import FloodgateWeb
import Foundation
import Logging

extension AppSettings {
    /// Reads every layer's settings from `reader`, under the scope `floodgate` (so the environment spells the keys
    /// `FLOODGATE_PORT`, `FLOODGATE_DATABASE_URL`, …). A malformed value is an error here, not a surprise later.
    ///
    /// Keys: `role`, `log.level`; the store's `data`, `database.url`, `demo`, `catalog.cache.ms`,
    /// `waitlist.hold.minutes`, `tours.days.ahead`; the web server's `host`, `port`, `public.url`, `admin.token` or
    /// `admin.token.file`, `staff.session.idle.minutes` and `staff.session.hours`, `admission.…` and `http.…`
    /// (``AdmissionSettings``); the worker's `jobs.concurrency`,
    /// `jobs.lease.ms`, `jobs.retry.base.ms`, `jobs.breaker.threshold`, `jobs.breaker.cooldown.ms`, `faults`;
    /// mail's `smtp.url`; the cash register's `cashier.url` (+ `cashier.login`, `.password`, `.group`, `.inn`, `.vat`).
    public init(reader: ConfigReader) throws {
        let config = reader.scoped(to: "floodgate")
        self.init(
            role: try config.choice("role", default: Role.all),
            logLevel: try config.choice("log.level", default: Logger.Level.info),
            store: try StoreSettings(config: config),
            http: try HTTPSettings(config: config),
            worker: try WorkerSettings(config: config),
            smtpURL: config.string(forKey: "smtp.url"),
            cashier: try CashierSettings(config: config)
        )
    }
}

extension StoreSettings {
    init(config: ConfigReader) throws {
        self.init(
            dataDirectory: config.string(forKey: "data", default: "var"),
            database: try config.string(forKey: "database.url").map { try DatabaseURL($0) },
            loadDemo: try config.flag("demo", default: true),
            catalogCacheTTL: try config.milliseconds("catalog.cache.ms", default: 1_000, in: 0...60_000),
            waitlistHoldMinutes: try config.wholeNumber("waitlist.hold.minutes", default: 30, in: 1...10_080)
        )
        self.tourDaysAhead = try config.wholeNumber("tours.days.ahead", default: 28, in: 1...366)
        self.auditKeyFile = config.string(forKey: "audit.key.file")
    }
}

extension HTTPSettings {
    init(config: ConfigReader) throws {
        self.init(
            host: config.string(forKey: "host", default: "127.0.0.1"),
            port: try config.wholeNumber("port", default: 8080, in: 0...65_535),
            publicURL: config.string(forKey: "public.url"),
            adminToken: try Self.adminToken(config)
        )
        self.admission = try AdmissionSettings(config: config)
        self.staffSessions = SessionPolicy(
            idle: Int64(try config.wholeNumber("staff.session.idle.minutes", default: 30, in: 1...1_440)) * 60_000,
            lifetime: Int64(try config.wholeNumber("staff.session.hours", default: 12, in: 1...168)) * 3_600_000
        )
    }

    /// The admin API's bearer token: `admin.token`, or what the file `admin.token.file` holds (without the line
    /// break at its end), so that the token need not be on a command line, where `ps` shows it to everyone. A token
    /// shorter than ``adminTokenMinimumLength`` or with anything but visible ASCII in it is an error.
    static func adminToken(_ config: ConfigReader) throws -> String? {
        let given = config.string(forKey: "admin.token", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        var token = given
        var key = "admin.token"
        if let path = config.string(forKey: "admin.token.file"), !path.isEmpty {
            guard given == nil else {
                throw ConfigError.invalid(
                    key: "admin.token.file", value: path, hint: "either admin.token or admin.token.file, not both")
            }
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigError.invalid(
                    key: "admin.token.file", value: path, hint: "a readable file holding the admin API's bearer token")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            key = "admin.token.file"
        }
        guard let token else { return nil }
        // The token itself is never printed, only what is wrong with it.
        guard token.count >= Self.adminTokenMinimumLength, token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ConfigError.invalid(
                key: key, value: "a token of \(token.count) characters",
                hint:
                    "at least \(Self.adminTokenMinimumLength) visible ASCII characters without spaces, e.g. from `openssl rand -hex 32`"
            )
        }
        return token
    }
}

extension WorkerSettings {
    init(config: ConfigReader) throws {
        self.init(concurrency: try config.wholeNumber("jobs.concurrency", default: 4, in: 1...64))
        self.lease = try config.milliseconds("jobs.lease.ms", default: 60_000, in: 500...3_600_000)
        self.breakerThreshold = try config.wholeNumber("jobs.breaker.threshold", default: 5, in: 1...1_000)
        self.breakerCooldown = try config.milliseconds("jobs.breaker.cooldown.ms", default: 5_000, in: 100...600_000)
        self.retryBase = try config.milliseconds("jobs.retry.base.ms", default: 2_000, in: 10...600_000)
        let faults = Set(
            config.string(forKey: "faults", default: "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            })
        let known: Set<String> = ["runaway-task"]
        if let unknown = faults.subtracting(known).first {
            throw ConfigError.invalid(
                key: "faults", value: unknown,
                hint: "a comma-separated list of: \(known.sorted().joined(separator: ", "))")
        }
        self.runawayTask = faults.contains("runaway-task")
    }
}

extension CashierSettings {
    /// The cash register at `cashier.url`, or nil when none is configured.
    init?(config: ConfigReader) throws {
        guard let url = config.string(forKey: "cashier.url") else { return nil }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ConfigError.invalid(
                key: "cashier.url", value: url, hint: "http(s)://HOST:PORT/PATH of the cash register API")
        }
        let defaults = CashierSettings(baseURL: url)
        self.init(
            baseURL: url, login: config.string(forKey: "cashier.login", default: defaults.login),
            password: config.string(forKey: "cashier.password", isSecret: true, default: defaults.password),
            group: config.string(forKey: "cashier.group", default: defaults.group),
            inn: config.string(forKey: "cashier.inn", default: defaults.inn),
            vat: config.string(forKey: "cashier.vat", default: defaults.vat)
        )
    }
}
