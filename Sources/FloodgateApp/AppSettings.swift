import FloodgateIntegrations
import FloodgateJobs
import FloodgateStore
import FloodgateWeb
import Logging

/// Everything a `floodgate` process needs to start, one settings value per layer, read once from one
/// `ConfigReader` (``init(reader:)``: command line > environment > `.env` > defaults).
public struct AppSettings: Sendable {
    /// What this process runs: the web server, the job worker, or both (the default on one machine).
    public var role: Role
    public var logLevel: Logger.Level
    public var store: StoreSettings
    public var http: HTTPSettings
    public var worker: WorkerSettings
    /// The mail relay; without one, emails are written as files under the data folder's `mail`.
    public var smtpURL: String?
    /// The online cash register; without it, receipt jobs wait in the queue until one is configured.
    public var cashier: CashierSettings?

    /// What a `floodgate` process runs.
    public enum Role: String, Sendable, CaseIterable {
        case all
        case web
        case worker

        var runsWeb: Bool { self != .worker }
        var runsWorker: Bool { self != .web }
    }

    public init(
        role: Role = .all, logLevel: Logger.Level = .info, store: StoreSettings = StoreSettings(),
        http: HTTPSettings = HTTPSettings(),
        worker: WorkerSettings = WorkerSettings(), smtpURL: String? = nil, cashier: CashierSettings? = nil
    ) {
        self.role = role
        self.logLevel = logLevel
        self.store = store
        self.http = http
        self.worker = worker
        self.smtpURL = smtpURL
        self.cashier = cashier
    }

    /// The address customers reach the shop at: the web server's origin, and the start of links in emails.
    public var publicURL: String {
        get { self.http.publicURL }
        set { self.http.publicURL = newValue }
    }

    /// Where the shop's emails go.
    public var mail: MailSettings {
        MailSettings(smtpURL: self.smtpURL, folder: self.store.mailDirectory, publicURL: self.publicURL)
    }

    /// A logger at the configured level.
    func logger(label: String = "floodgate") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = self.logLevel
        return logger
    }
}
