/// How many requests may be in flight at once, learnt from latency (a gradient limiter in the style of
/// Netflix's concurrency-limits).
///
/// It tracks, per kind of request, the no-load latency (the lowest recent round trip) and compares every
/// sample with its own kind's: a checkout's 10 ms is not a product page's 0.3 ms. While requests take about
/// their no-load time the limit grows by about √limit per sample window; as queues build up inside the
/// server and latency rises, the smoothed gradient `noLoad / latency` falls and the limit shrinks towards
/// what the machine serves at full speed. A value type: the caller serialises access (``AdmissionGate``).
public struct AdaptiveLimit: Sendable {
    public private(set) var limit: Double
    public let minLimit: Double
    public let maxLimit: Double
    /// Latency growth accepted before the limit shrinks (2.0: up to twice the no-load latency).
    public let tolerance: Double
    /// Weight of a new estimate in the limit (the rest is the old limit).
    public let smoothing: Double

    private var noLoadSeconds: [Int: Double] = [:]
    /// Smoothed `noLoad / latency` over recent samples, 1 when nothing waits.
    private var ratio = 1.0

    public init(
        initial: Double = 32, minLimit: Double = 4, maxLimit: Double = 512, tolerance: Double = 2.0,
        smoothing: Double = 0.2
    ) {
        self.limit = initial
        self.minLimit = minLimit
        self.maxLimit = maxLimit
        self.tolerance = tolerance
        self.smoothing = smoothing
    }

    /// The lowest recent round trip of the slowest kind seen: what a request costs with no queue in front of it.
    public var noLoadLatency: Double? { self.noLoadSeconds.values.max() }

    /// Records one finished request of `kind`: its round trip in seconds and how many were in flight when it started.
    public mutating func record(latency seconds: Double, inFlight: Int, kind: Int = 0) {
        // The no-load estimate drifts up slowly, so a machine that got slower for good is learnt again.
        let noLoad = min(seconds, (self.noLoadSeconds[kind] ?? seconds) * 1.001)
        self.noLoadSeconds[kind] = noLoad
        guard seconds > 0 else { return }
        self.ratio = self.ratio * 0.9 + min(1, noLoad / seconds) * 0.1
        let gradient = max(0.5, min(1.0, self.tolerance * self.ratio))
        // Grow only when the limit is actually being used; an idle server learns nothing about its ceiling.
        let used = Double(inFlight) >= self.limit / 2
        let target = self.limit * gradient + (used ? self.limit.squareRoot() : 0)
        self.limit = min(self.maxLimit, max(self.minLimit, self.limit * (1 - self.smoothing) + target * self.smoothing))
    }
}
