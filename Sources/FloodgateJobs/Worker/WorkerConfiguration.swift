import FloodgateCore

/// How a worker takes and runs jobs.
public struct WorkerConfiguration: Sendable {
    /// Name in leases and logs; unique per process.
    public var name: String
    /// Most jobs running at once: the bulkhead that keeps a busy worker from taking more than its share.
    public var concurrency: Int
    /// How long a claimed job stays this worker's; past it another worker may take the job over.
    public var lease: Duration
    /// Longest a single job may run before it is cancelled and counted as a failed attempt.
    public var jobTimeout: Duration
    /// How often an idle worker looks for due jobs (retries coming due, jobs from other processes).
    /// Jobs enqueued in this process wake it at once.
    public var idlePoll: Duration
    public var retry: RetryPolicy
    /// Jobs taken per claim (default 16 × concurrency): a claim and a completion are two durable commits, so
    /// trivial jobs drain faster in larger batches. At most `concurrency` run at once.
    public var batchSize: Int
    /// Failures in a row that open an integration's circuit breaker, and its first cool-down.
    public var breakerThreshold: Int
    public var breakerCooldown: Duration
    /// Pause after a batch smaller than `batchSize` (the worker has caught up) before claiming again.
    public var gatherDelay: Duration
    /// With this many visitor requests in flight in the same process the worker waits before its next
    /// batch — but never longer than `maxYield` since the last one.
    public var yieldAbove: Int
    public var maxYield: Duration

    public init(
        name: String, concurrency: Int = 4, lease: Duration = .seconds(60), jobTimeout: Duration = .seconds(30),
        idlePoll: Duration = .seconds(1), retry: RetryPolicy = RetryPolicy(), batchSize: Int? = nil,
        breakerThreshold: Int = 5, breakerCooldown: Duration = .seconds(5), gatherDelay: Duration = .milliseconds(100),
        yieldAbove: Int = 8, maxYield: Duration = .seconds(1)
    ) {
        self.name = name
        self.concurrency = concurrency
        self.lease = lease
        self.jobTimeout = jobTimeout
        self.idlePoll = idlePoll
        self.retry = retry
        self.batchSize = batchSize ?? concurrency * 16
        self.breakerThreshold = breakerThreshold
        self.breakerCooldown = breakerCooldown
        self.gatherDelay = gatherDelay
        self.yieldAbove = yieldAbove
        self.maxYield = maxYield
    }
}
