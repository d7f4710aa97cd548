import Logging

/// Stops calling an integration (the cash register, the mail relay) that keeps failing, then probes it.
///
/// Closed: jobs run. After `threshold` failures in a row it opens: jobs for it stay in the queue without
/// using their attempts. When the cool-down has passed one job runs as a probe; success closes the
/// breaker, failure opens it again with twice the cool-down (up to `maxCooldown`).
public actor CircuitBreaker {
    public nonisolated let integration: String
    let threshold: Int
    let cooldown: Duration
    let maxCooldown: Duration
    let logger: Logger

    private var failures = 0
    private var openUntil: ContinuousClock.Instant?
    private var currentCooldown: Duration
    private var probing = false

    /// What a job about to run for this integration may do.
    public enum Admission: Sendable, Equatable {
        case run
        /// The single trial call after a cool-down.
        case probe
        /// Wait, untried, for this long.
        case wait(Duration)
    }

    public init(
        integration: String, threshold: Int = 5, cooldown: Duration = .seconds(5),
        maxCooldown: Duration = .seconds(120), logger: Logger
    ) {
        self.integration = integration
        self.threshold = threshold
        self.cooldown = cooldown
        self.maxCooldown = maxCooldown
        self.currentCooldown = cooldown
        self.logger = logger
    }

    /// How many of this integration's jobs a worker should take from the queue now.
    public enum Intake: Sendable, Equatable {
        /// Closed: as many as the batch holds.
        case all
        /// The cool-down has passed: the one job that will be the probe.
        case one
        /// Open, or its probe is running: none.
        case nothing
    }

    public func intake(now: ContinuousClock.Instant = .now) -> Intake {
        guard let openUntil else { return .all }
        return now >= openUntil && !self.probing ? .one : .nothing
    }

    public func admit(now: ContinuousClock.Instant = .now) -> Admission {
        guard let openUntil else { return .run }
        if now < openUntil { return .wait(openUntil - now) }
        if self.probing { return .wait(self.currentCooldown) }
        self.probing = true
        return .probe
    }

    public func record(success: Bool, now: ContinuousClock.Instant = .now) {
        let wasProbe = self.probing
        self.probing = false
        if success {
            if self.openUntil != nil {
                self.logger.notice(
                    "circuit closed: integration answers again", metadata: ["integration": "\(self.integration)"])
            }
            self.failures = 0
            self.openUntil = nil
            self.currentCooldown = self.cooldown
            return
        }
        self.failures += 1
        if wasProbe {
            self.currentCooldown = min(self.currentCooldown * 2, self.maxCooldown)
        } else if self.openUntil != nil || self.failures < self.threshold {
            return
        }
        self.openUntil = now + self.currentCooldown
        self.logger.warning(
            "circuit open: jobs for this integration wait without using attempts",
            metadata: [
                "integration": "\(self.integration)", "failures": "\(self.failures)",
                "probe_in": "\(self.currentCooldown)",
            ]
        )
    }

    /// `closed`, `open` or `half-open` (waiting for or running its probe).
    public func state(now: ContinuousClock.Instant = .now) -> String {
        guard let openUntil else { return "closed" }
        return now >= openUntil || self.probing ? "half-open" : "open"
    }
}
