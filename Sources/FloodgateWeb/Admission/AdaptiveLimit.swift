/// How many requests may be in flight at once, learnt from latency (a gradient limiter in the style of
/// Netflix's concurrency-limits).
///
/// It tracks the no-load latency (the lowest recent round trip) and a smoothed current latency. While the
/// current latency stays near the no-load one the limit grows by about √limit per sample window; as
/// queues build up inside the server and latency rises, the gradient `noLoad / current` falls below one
/// and the limit shrinks towards what the machine serves at full speed. A value type: the caller
/// serialises access (``AdmissionGate`` is an actor).
public struct AdaptiveLimit: Sendable {
    public private(set) var limit: Double
    public let minLimit: Double
    public let maxLimit: Double
    /// Latency growth accepted before the limit shrinks (2.0: up to twice the no-load latency).
    public let tolerance: Double
    /// Weight of a new estimate in the limit (the rest is the old limit).
    public let smoothing: Double

    private var noLoadSeconds: Double?
    private var currentSeconds: Double?
    private var samples = 0

    public init(initial: Double = 32, minLimit: Double = 4, maxLimit: Double = 512, tolerance: Double = 2.0, smoothing: Double = 0.2) {
        self.limit = initial
        self.minLimit = minLimit
        self.maxLimit = maxLimit
        self.tolerance = tolerance
        self.smoothing = smoothing
    }

    /// The lowest recent round trip: what a request costs with no queue in front of it.
    public var noLoadLatency: Double? { self.noLoadSeconds }

    /// Records one finished request: its round trip in seconds and how many were in flight when it started.
    public mutating func record(latency seconds: Double, inFlight: Int) {
        self.samples += 1
        // The no-load estimate drifts up slowly, so a machine that got slower for good is learnt again.
        if let noLoad = self.noLoadSeconds {
            self.noLoadSeconds = min(seconds, noLoad * 1.001)
        } else {
            self.noLoadSeconds = seconds
        }
        self.currentSeconds = self.currentSeconds.map { $0 * 0.9 + seconds * 0.1 } ?? seconds
        guard let noLoad = self.noLoadSeconds, let current = self.currentSeconds, current > 0 else { return }
        let gradient = max(0.5, min(1.0, self.tolerance * noLoad / current))
        // Grow only when the limit is actually being used; an idle server learns nothing about its ceiling.
        let used = Double(inFlight) >= self.limit / 2
        let target = self.limit * gradient + (used ? self.limit.squareRoot() : 0)
        self.limit = min(self.maxLimit, max(self.minLimit, self.limit * (1 - self.smoothing) + target * self.smoothing))
    }
}
