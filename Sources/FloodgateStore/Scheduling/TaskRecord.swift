/// A scheduled task as stored: its schedule, its budget and whether it may run.
public struct TaskRecord: Hashable, Sendable, Encodable {
    public var name: String
    /// Cron expression (UTC), see `CronSchedule`.
    public var schedule: String
    public var timeoutMs: Int64
    public var maxQueries: Int64
    public var enabled: Bool
    /// Set when the task was quarantined (or paused by an operator); it does not run until resumed.
    public var pausedAt: Int64?
    public var pausedReason: String?
    /// Runs in a row that broke the timeout or the query budget.
    public var breaches: Int
    public var runRequestedAt: Int64?
    public var lastRun: TaskRun?

    /// `enabled`, `disabled` or `paused`.
    public var status: String { self.pausedAt != nil ? "paused" : (self.enabled ? "enabled" : "disabled") }

    private enum CodingKeys: String, CodingKey {
        case name, schedule, timeoutMs, maxQueries, enabled, pausedAt, pausedReason, breaches, runRequestedAt, lastRun,
            status
    }

    /// Every field, absent ones as `null`, and the derived `status`, so scripts need not guess.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.schedule, forKey: .schedule)
        try container.encode(self.timeoutMs, forKey: .timeoutMs)
        try container.encode(self.maxQueries, forKey: .maxQueries)
        try container.encode(self.enabled, forKey: .enabled)
        try container.encode(self.pausedAt, forKey: .pausedAt)
        try container.encode(self.pausedReason, forKey: .pausedReason)
        try container.encode(self.breaches, forKey: .breaches)
        try container.encode(self.runRequestedAt, forKey: .runRequestedAt)
        try container.encode(self.lastRun, forKey: .lastRun)
        try container.encode(self.status, forKey: .status)
    }
}

/// What a task is when it is first registered; an operator's later changes are kept over these.
public struct TaskDefinition: Hashable, Sendable {
    public var name: String
    public var schedule: String
    public var timeout: Duration
    public var maxQueries: Int
    public var enabled: Bool

    public init(name: String, schedule: String, timeout: Duration, maxQueries: Int, enabled: Bool = true) {
        self.name = name
        self.schedule = schedule
        self.timeout = timeout
        self.maxQueries = maxQueries
        self.enabled = enabled
    }
}

/// One run of a task: the log line an operator reads when something went wrong at night.
public struct TaskRun: Hashable, Sendable, Codable {
    public var id: Int
    public var task: String
    /// Seconds since 1970 of the scheduled tick (milliseconds of the request for a manual run).
    public var tick: Int64
    /// `schedule` or `manual`.
    public var trigger: String
    public var worker: String
    public var startedAt: Int64
    public var finishedAt: Int64?
    public var durationMs: Int64?
    /// `running`, `ok`, `error`, `timeout` (cancelled at its wall-time limit), `budget` (cancelled at its
    /// query limit), `cancelled` (the task was paused while it ran) or `abandoned` (its worker died).
    public var outcome: String
    public var queries: Int64
    public var error: String?
}

/// How a run ended.
public enum TaskOutcome: String, Sendable, CaseIterable {
    case ok
    case error
    case timeout
    case budget
    /// Stopped by an operator pausing or disabling the task.
    case cancelled

    /// Cancelled for overrunning: three in a row quarantine the task.
    public var isBreach: Bool { self == .timeout || self == .budget }
}
