/// How a process's job worker and scheduler run, as configured (`floodgate.jobs.…`, `floodgate.faults`).
public struct WorkerSettings: Sendable {
    /// Most jobs this process's worker runs at once.
    public var concurrency = 4
    /// How long a claimed job stays its worker's before another may take it over.
    public var lease: Duration = .seconds(60)
    /// First back-off after a failed job attempt (doubling, with jitter, up to ten minutes).
    public var retryBase: Duration = .seconds(2)
    /// Failures in a row that open an integration's circuit breaker, and its first pause.
    public var breakerThreshold = 5
    public var breakerCooldown: Duration = .seconds(5)
    /// A drill: register a task that loops on queries until its budget stops it (`faults=runaway-task`).
    public var runawayTask = false

    public init(concurrency: Int = 4) {
        self.concurrency = concurrency
    }
}
