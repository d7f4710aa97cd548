import Synchronization

/// The door every request passes: at most ``AdaptiveLimit/limit`` in flight, a bounded queue ordered by
/// ``RequestClass`` behind it, each waiter with a deadline, and the lowest class refused first.
///
/// Nothing waits without bound: a full queue evicts its newest waiter of the lowest class (or refuses the
/// newcomer when that would be itself), and a waiter whose deadline passes is refused then. Crawlers may
/// hold only a small share of the places, so they never crowd out people even when the shop is quiet
/// enough to admit them. One lock, no actor: a request that finds a free place costs two short critical
/// sections and no suspension.
public final class AdmissionGate: Sendable {
    /// How long each class may wait for a place, how many may wait in all, and the share of places a class may hold.
    public struct Settings: Sendable {
        public var queueCapacity: Int
        public var maxWait: [RequestClass: Duration]
        /// The most of the limit a class may hold at once (1 when absent); crawlers get a small budget.
        public var maxShare: [RequestClass: Double]

        public init(
            queueCapacity: Int = 256,
            maxWait: [RequestClass: Duration] = [
                .checkout: .seconds(10), .cart: .seconds(4), .browse: .seconds(2), .bot: .milliseconds(500),
            ],
            maxShare: [RequestClass: Double] = [.bot: 0.1]
        ) {
            self.queueCapacity = queueCapacity
            self.maxWait = maxWait
            self.maxShare = maxShare
        }
    }

    /// A place taken; give it back with ``leave(_:now:)``.
    public struct Ticket: Sendable {
        public let requestClass: RequestClass
        let started: ContinuousClock.Instant
        let inFlightAtStart: Int
    }

    public enum Decision: Sendable {
        case admitted(Ticket)
        /// Refused; come back after this many seconds.
        case shed(retryAfter: Int)
    }

    /// Counts since start, per class, and the gate's state now.
    public struct Stats: Sendable, Encodable, Equatable {
        public var admitted: [String: Int]
        public var queued: [String: Int]
        public var shed: [String: Int]
        public var inFlight: Int
        public var limit: Int
        public var waiting: Int
        /// The learnt no-load latency in milliseconds (nil before the first request).
        public var noLoadMilliseconds: Double?
        /// With ``AdmissionGates``: the checkout door's limit and requests in it (included in the totals above).
        public var checkoutLimit: Int?
        public var checkoutInFlight: Int?
        /// Per class: how long admitted requests took from admission to answer (the queue before not included),
        /// and how long requests waited in the queue (admitted or refused at the end of it).
        public var service: [String: LatencyBuckets]
        public var wait: [String: LatencyBuckets]
        /// p50 / p99 of `service` per class since start, in milliseconds.
        public var serviceP50Milliseconds: [String: Double]
        public var serviceP99Milliseconds: [String: Double]

        /// Refusals of every class since start.
        public var shedTotal: Int { self.shed.values.reduce(0, +) }
    }

    private struct Waiter {
        let id: Int
        let queuedAt: ContinuousClock.Instant
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Decision, Never>
    }

    private struct State {
        var limit: AdaptiveLimit
        var inFlight = 0
        /// Smoothed time an admitted request holds its place, in seconds: with the limit, how fast the queue moves.
        var holdSeconds = 0.0
        var service: [LatencyBuckets] = RequestClass.allCases.map { _ in LatencyBuckets() }
        var wait: [LatencyBuckets] = RequestClass.allCases.map { _ in LatencyBuckets() }
        var inFlightByClass: [Int] = Array(repeating: 0, count: RequestClass.allCases.count)
        var waiting: [[Waiter]] = Array(repeating: [], count: RequestClass.allCases.count)
        var waitingCount = 0
        var nextID = 0
        var admitted: [Int] = Array(repeating: 0, count: RequestClass.allCases.count)
        var queued: [Int] = Array(repeating: 0, count: RequestClass.allCases.count)
        var shed: [Int] = Array(repeating: 0, count: RequestClass.allCases.count)
        var sweeping = false
    }

    /// Continuations to resume once the lock is released.
    private typealias Wakeups = [(CheckedContinuation<Decision, Never>, Decision)]

    private let state: Mutex<State>
    private let settings: Settings
    private let caps: [Double]
    /// A gate this one gives way to: while anyone waits there, this one lets at most `yieldLimit` in.
    private let yieldTo: AdmissionGate?
    private let yieldLimit: Int

    /// `yieldTo`: a higher-priority gate (checkouts); while it has waiters this gate admits at most `yieldLimit`
    /// at once, leaving the cores to the requests that wait there.
    public init(
        limit: AdaptiveLimit = AdaptiveLimit(), settings: Settings = Settings(), yieldTo: AdmissionGate? = nil,
        yieldLimit: Int = 2
    ) {
        self.state = Mutex(State(limit: limit))
        self.settings = settings
        self.caps = RequestClass.allCases.map { settings.maxShare[$0] ?? 1 }
        self.yieldTo = yieldTo
        self.yieldLimit = yieldLimit
    }

    /// Requests waiting now.
    public var waiting: Int { self.state.withLock { $0.waitingCount } }

    /// The number of requests that may be in flight right now.
    private func currentLimit(_ state: State) -> Int {
        let limit = Int(state.limit.limit)
        guard let yieldTo = self.yieldTo, yieldTo.waiting > 0 else { return limit }
        return min(limit, self.yieldLimit)
    }

    /// Takes a place now, waits for one in the queue, or is refused.
    public func enter(_ requestClass: RequestClass, now: ContinuousClock.Instant = .now) async -> Decision {
        // The common case, a free place and nobody ahead, without suspending.
        if let ticket = self.state.withLock({ self.tryTake(requestClass, now: now, state: &$0) }) {
            return .admitted(ticket)
        }
        let deadline = now + (self.settings.maxWait[requestClass] ?? .seconds(1))
        return await withCheckedContinuation { (continuation: CheckedContinuation<Decision, Never>) in
            var wakeups: Wakeups = []
            var startSweeper = false
            self.state.withLock { state in
                // Looked at again under the lock: a place may have been freed since.
                if let ticket = self.tryTake(requestClass, now: now, state: &state) {
                    wakeups.append((continuation, .admitted(ticket)))
                    return
                }
                // Refused now, cheaply, rather than after a wait that would pass its deadline anyway.
                let maxWait = self.settings.maxWait[requestClass] ?? .seconds(1)
                let expected = self.expectedWait(for: requestClass, state)
                if expected > maxWait / .seconds(1) {
                    state.shed[requestClass.rawValue] += 1
                    wakeups.append((continuation, .shed(retryAfter: max(1, Int(expected.rounded(.up))))))
                    return
                }
                if state.waitingCount >= self.settings.queueCapacity {
                    let retry = self.retryAfter(state)
                    guard let lowest = RequestClass.allCases.first(where: { !state.waiting[$0.rawValue].isEmpty }),
                        lowest < requestClass,
                        let evicted = state.waiting[lowest.rawValue].popLast()
                    else {
                        state.shed[requestClass.rawValue] += 1
                        wakeups.append((continuation, .shed(retryAfter: retry)))
                        return
                    }
                    state.waitingCount -= 1
                    state.shed[lowest.rawValue] += 1
                    wakeups.append((evicted.continuation, .shed(retryAfter: retry)))
                }
                state.nextID += 1
                state.waiting[requestClass.rawValue].append(
                    Waiter(id: state.nextID, queuedAt: now, deadline: deadline, continuation: continuation))
                state.waitingCount += 1
                state.queued[requestClass.rawValue] += 1
                if !state.sweeping {
                    state.sweeping = true
                    startSweeper = true
                }
            }
            for (waiter, decision) in wakeups { waiter.resume(returning: decision) }
            if startSweeper { self.startSweeper() }
        }
    }

    /// Counts a refusal made before this door, by a proxy in front (``ProxyShed``), with the door's own.
    public func recordShed(_ requestClass: RequestClass) {
        self.state.withLock { $0.shed[requestClass.rawValue] += 1 }
    }

    /// Gives the place back and lets the next waiters in, highest class first.
    public func leave(_ ticket: Ticket, now: ContinuousClock.Instant = .now) {
        let wakeups: Wakeups = self.state.withLock { state in
            state.inFlight -= 1
            state.inFlightByClass[ticket.requestClass.rawValue] -= 1
            let held = (now - ticket.started) / .seconds(1)
            state.service[ticket.requestClass.rawValue].record(seconds: held)
            state.holdSeconds = state.holdSeconds == 0 ? held : state.holdSeconds * 0.95 + held * 0.05
            state.limit.record(latency: held, inFlight: ticket.inFlightAtStart, kind: ticket.requestClass.rawValue)
            return self.admitWaiting(now: now, state: &state)
        }
        for (waiter, decision) in wakeups { waiter.resume(returning: decision) }
    }

    public func stats() -> Stats {
        self.state.withLock { state in
            func named(_ counts: [Int]) -> [String: Int] {
                Dictionary(uniqueKeysWithValues: RequestClass.allCases.map { ($0.description, counts[$0.rawValue]) })
            }
            func buckets(_ all: [LatencyBuckets]) -> [String: LatencyBuckets] {
                Dictionary(uniqueKeysWithValues: RequestClass.allCases.map { ($0.description, all[$0.rawValue]) })
            }
            func percentiles(_ percentile: Double) -> [String: Double] {
                Dictionary(
                    uniqueKeysWithValues: RequestClass.allCases.compactMap { c in
                        state.service[c.rawValue].percentile(percentile).map { (c.description, $0) }
                    })
            }
            return Stats(
                admitted: named(state.admitted), queued: named(state.queued), shed: named(state.shed),
                inFlight: state.inFlight,
                limit: Int(state.limit.limit), waiting: state.waitingCount,
                noLoadMilliseconds: state.limit.noLoadLatency.map { $0 * 1_000 },
                service: buckets(state.service), wait: buckets(state.wait),
                serviceP50Milliseconds: percentiles(50), serviceP99Milliseconds: percentiles(99)
            )
        }
    }

    /// A place for `requestClass` if one is free, nobody of its class or above waits, and the class is under its share.
    private func tryTake(_ requestClass: RequestClass, now: ContinuousClock.Instant, state: inout State) -> Ticket? {
        guard state.inFlight < self.currentLimit(state), self.underShare(requestClass, state) else { return nil }
        if state.waitingCount > 0 {
            for index in requestClass.rawValue..<state.waiting.count where !state.waiting[index].isEmpty { return nil }
        }
        return self.take(requestClass, now: now, state: &state)
    }

    private func underShare(_ requestClass: RequestClass, _ state: State) -> Bool {
        let cap = self.caps[requestClass.rawValue]
        return cap >= 1
            || Double(state.inFlightByClass[requestClass.rawValue]) < max(1, (state.limit.limit * cap).rounded(.down))
    }

    private func take(_ requestClass: RequestClass, now: ContinuousClock.Instant, state: inout State) -> Ticket {
        state.inFlight += 1
        state.inFlightByClass[requestClass.rawValue] += 1
        state.admitted[requestClass.rawValue] += 1
        return Ticket(requestClass: requestClass, started: now, inFlightAtStart: state.inFlight)
    }

    private func admitWaiting(now: ContinuousClock.Instant, state: inout State) -> Wakeups {
        var wakeups: Wakeups = []
        guard state.waitingCount > 0 else { return wakeups }
        let limit = self.currentLimit(state)
        for requestClass in RequestClass.allCases.reversed() {
            while state.inFlight < limit, !state.waiting[requestClass.rawValue].isEmpty,
                self.underShare(requestClass, state)
            {
                let waiter = state.waiting[requestClass.rawValue].removeFirst()
                state.wait[requestClass.rawValue].record(seconds: (now - waiter.queuedAt) / .seconds(1))
                state.waitingCount -= 1
                wakeups.append((waiter.continuation, .admitted(self.take(requestClass, now: now, state: &state))))
            }
        }
        return wakeups
    }

    /// Refuses waiters whose deadline has passed, every 10 ms while anyone waits.
    private func startSweeper() {
        Task { [weak self] in
            while let gate = self {
                try? await Task.sleep(for: .milliseconds(10))
                let (wakeups, more) = gate.state.withLock { state -> (Wakeups, Bool) in
                    let now = ContinuousClock.now
                    var wakeups: Wakeups = []
                    let retry = gate.retryAfter(state)
                    for index in state.waiting.indices where !state.waiting[index].isEmpty {
                        let (late, onTime) = (
                            state.waiting[index].filter { $0.deadline <= now },
                            state.waiting[index].filter { $0.deadline > now }
                        )
                        guard !late.isEmpty else { continue }
                        state.waiting[index] = onTime
                        state.waitingCount -= late.count
                        state.shed[index] += late.count
                        for waiter in late { state.wait[index].record(seconds: (now - waiter.queuedAt) / .seconds(1)) }
                        wakeups += late.map { ($0.continuation, .shed(retryAfter: retry)) }
                    }
                    // The gate given way to may have emptied: let in whom there is room for now.
                    wakeups += gate.admitWaiting(now: now, state: &state)
                    state.sweeping = state.waitingCount > 0
                    return (wakeups, state.sweeping)
                }
                for (waiter, decision) in wakeups { waiter.resume(returning: decision) }
                if !more { return }
            }
        }
    }

    /// How long a newcomer of `requestClass` would wait: those ahead of it (its class and above) served at the
    /// current limit, each holding its place for the smoothed hold time. Zero until the gate has learnt one.
    private func expectedWait(for requestClass: RequestClass, _ state: State) -> Double {
        let ahead = state.waiting[requestClass.rawValue...].reduce(0) { $0 + $1.count }
        return Double(ahead + 1) * state.holdSeconds / Double(max(1, self.currentLimit(state)))
    }

    /// A rough, honest wait for `Retry-After`: the whole queue served at the current pace, at least 1 s.
    private func retryAfter(_ state: State) -> Int {
        let wait = Double(state.waitingCount + 1) * state.holdSeconds / Double(max(1, self.currentLimit(state)))
        return max(1, Int(wait.rounded(.up)))
    }
}
