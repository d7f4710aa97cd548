/// Where a deferred job is in its life.
public enum JobState: String, Hashable, Sendable, Codable, CaseIterable {
    /// Waiting for its `runAt`.
    case queued
    /// Claimed by a worker until its lease ends; a lease that ends unfinished makes it claimable again.
    case running
    case done
    /// Failed, waiting for its next attempt after a back-off.
    case retrying
    /// Failed its last attempt; kept with the last error until someone retries it.
    case dead
}

/// How long a failed job waits before its next attempt: exponential back-off with jitter, capped.
public struct RetryPolicy: Hashable, Sendable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(2), cap: Duration = .seconds(600)) {
        self.base = base
        self.cap = cap
    }

    /// The wait after the `attempt`-th failure (1-based): `base × 2^(attempt-1)`, capped, then a random
    /// 50–100 % of it so that jobs failing together do not all come back together.
    public func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0.5...1.0)) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let full = min(self.base * (1 << exponent), self.cap)
        return full * random
    }
}
