/// Token buckets per client (an IP, a session): `rate` requests a second on average, bursts up to `burst`.
///
/// Memory stays bounded whatever the number of distinct clients: at most `maxClients` buckets are kept;
/// when full, buckets that have refilled (their client has been quiet) go first, then the least recently
/// seen. A client forgotten that way starts again with a full bucket — the cost of the bound, paid only by
/// clients quiet long enough to be the oldest. A value type; the caller serialises access.
public struct ClientRateLimiter: Sendable {
    public let rate: Double
    public let burst: Double
    public let maxClients: Int

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private var buckets: [String: Bucket] = [:]

    public init(rate: Double, burst: Double, maxClients: Int = 10_000) {
        self.rate = rate
        self.burst = burst
        self.maxClients = maxClients
    }

    /// Clients remembered now.
    public var count: Int { self.buckets.count }

    /// Takes a token for `client` at `now` (seconds, any monotonic origin). Returns nil when allowed, or
    /// the seconds until a token will be there (for `Retry-After`).
    public mutating func take(_ client: String, now: Double) -> Double? {
        var bucket = self.buckets[client] ?? Bucket(tokens: self.burst, updated: now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        if self.buckets[client] == nil, self.buckets.count >= self.maxClients { self.evict(now: now) }
        self.buckets[client] = bucket
        return allowed ? nil : (1 - bucket.tokens) / self.rate
    }

    /// Makes room for at least one client: refilled buckets first, else the oldest tenth.
    private mutating func evict(now: Double) {
        let full = self.buckets.filter { min(self.burst, $0.value.tokens + (now - $0.value.updated) * self.rate) >= self.burst }
        if !full.isEmpty {
            for key in full.keys { self.buckets.removeValue(forKey: key) }
            return
        }
        let oldest = self.buckets.sorted { $0.value.updated < $1.value.updated }.prefix(max(1, self.maxClients / 10))
        for (key, _) in oldest { self.buckets.removeValue(forKey: key) }
    }
}
