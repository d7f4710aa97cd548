/// Token buckets per client (an IP address): `rate` requests a second on average, bursts up to `burst`.
///
/// Past its bucket a client first runs into debt, up to `debt` requests: it is still served, but as a
/// robot would be (``RequestClass/bot``, shed first). Past the debt it is refused (`429`) until tokens come back.
///
/// Memory stays bounded whatever the number of distinct clients: at most `maxClients` buckets are kept;
/// when full, buckets that have refilled (their client has been quiet) go first, then the least recently
/// seen. A client forgotten that way starts again with a full bucket — the cost of the bound, paid only by
/// clients quiet long enough to be the oldest. A value type; the caller serialises access.
public struct ClientRateLimiter: Sendable {
    public enum Verdict: Equatable, Sendable {
        /// Within its rate.
        case within
        /// Over its rate, within its debt: serve it as a robot.
        case over
        /// Refused; a token comes back in this many seconds.
        case refused(retryAfter: Double)
    }

    public let rate: Double
    public let burst: Double
    public let debt: Double
    public let maxClients: Int

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private var buckets: [String: Bucket] = [:]

    public init(rate: Double, burst: Double, debt: Double = 0, maxClients: Int = 10_000) {
        self.rate = rate
        self.burst = burst
        self.debt = debt
        self.maxClients = maxClients
    }

    /// Clients remembered now.
    public var count: Int { self.buckets.count }

    /// Takes a token for `client` at `now` (seconds, any monotonic origin). `onlyWithin`: take it only if the
    /// client is within its rate; otherwise charge nothing (the request is charged where it goes on).
    public mutating func take(_ client: String, now: Double, onlyWithin: Bool = false) -> Verdict {
        var bucket = self.buckets[client] ?? Bucket(tokens: self.burst, updated: now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        let verdict: Verdict
        if bucket.tokens >= 1 {
            verdict = .within
        } else if bucket.tokens >= 1 - self.debt {
            verdict = .over
        } else {
            verdict = .refused(retryAfter: (1 - self.debt - bucket.tokens) / self.rate)
        }
        if onlyWithin, verdict != .within { return verdict }
        if case .refused = verdict {} else { bucket.tokens -= 1 }
        if self.buckets[client] == nil, self.buckets.count >= self.maxClients { self.evict(now: now) }
        self.buckets[client] = bucket
        return verdict
    }

    /// Makes room for at least one client: refilled buckets first, else the oldest tenth.
    private mutating func evict(now: Double) {
        let full = self.buckets.filter {
            min(self.burst, $0.value.tokens + (now - $0.value.updated) * self.rate) >= self.burst
        }
        if !full.isEmpty {
            for key in full.keys { self.buckets.removeValue(forKey: key) }
            return
        }
        let oldest = self.buckets.sorted { $0.value.updated < $1.value.updated }.prefix(max(1, self.maxClients / 10))
        for (key, _) in oldest { self.buckets.removeValue(forKey: key) }
    }
}
