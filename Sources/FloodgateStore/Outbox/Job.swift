import FloodgateCore

/// Work to be done later, as written into the outbox inside a business transaction.
public struct NewJob: Hashable, Sendable {
    /// What handler runs it, e.g. `fiscal.receipt`.
    public var kind: String
    /// The handler's input as JSON; handlers look facts up by id rather than trusting a stale copy.
    public var payload: String
    /// Names the business fact the job is for (`receipt:order:42`); a job whose key exists is not added again.
    public var dedupeKey: String?
    /// Higher runs first among due jobs.
    public var priority: Int
    /// Milliseconds since 1970; nil means now.
    public var runAt: Int64?
    public var maxAttempts: Int

    public init(
        kind: String, payload: String = "{}", dedupeKey: String? = nil, priority: Int = 0, runAt: Int64? = nil,
        maxAttempts: Int = 10
    ) {
        self.kind = kind
        self.payload = payload
        self.dedupeKey = dedupeKey
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
    }
}

/// A job as a worker claimed it.
public struct Job: Hashable, Sendable, Codable {
    public var id: Int
    public var kind: String
    public var payload: String
    public var dedupeKey: String?
    public var priority: Int
    /// Attempts so far, this one included.
    public var attempts: Int
    public var maxAttempts: Int
    public var state: JobState
    public var lastError: String?
}

/// Counts of jobs per state, for operators.
public struct JobStats: Hashable, Sendable, Codable {
    public var counts: [String: Int]
    /// Queued or retrying jobs whose time has come.
    public var due: Int

    public func count(_ state: JobState) -> Int { self.counts[state.rawValue] ?? 0 }
}
