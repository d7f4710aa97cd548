/// The door every request passes: at most ``AdaptiveLimit/limit`` in flight, a bounded queue ordered by
/// ``RequestClass`` behind it, each waiter with a deadline, and the lowest class refused first.
///
/// Nothing waits without bound: a full queue evicts its newest waiter of the lowest class (or refuses the
/// newcomer when that would be itself), and a waiter whose deadline passes is refused at that moment.
public actor AdmissionGate {
    /// How long each class may wait for a place, and how many may wait in all.
    public struct Settings: Sendable {
        public var queueCapacity: Int
        public var maxWait: [RequestClass: Duration]

        public init(
            queueCapacity: Int = 256,
            maxWait: [RequestClass: Duration] = [.checkout: .seconds(10), .cart: .seconds(4), .browse: .seconds(2), .bot: .milliseconds(500)]
        ) {
            self.queueCapacity = queueCapacity
            self.maxWait = maxWait
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
    public struct Stats: Sendable, Encodable {
        public var admitted: [String: Int]
        public var queued: [String: Int]
        public var shed: [String: Int]
        public var inFlight: Int
        public var limit: Int
        public var waiting: Int
    }

    private struct Waiter {
        let id: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Decision, Never>
    }

    private var limit: AdaptiveLimit
    private let settings: Settings
    private var inFlight = 0
    private var waiting: [RequestClass: [Waiter]] = [:]
    private var nextID = 0
    private var admitted: [RequestClass: Int] = [:]
    private var queuedCount: [RequestClass: Int] = [:]
    private var shed: [RequestClass: Int] = [:]

    public init(limit: AdaptiveLimit = AdaptiveLimit(), settings: Settings = Settings()) {
        self.limit = limit
        self.settings = settings
    }

    private var waitingCount: Int { self.waiting.values.reduce(0) { $0 + $1.count } }

    /// Takes a place now, waits for one in the queue, or is refused.
    public func enter(_ requestClass: RequestClass, now: ContinuousClock.Instant = .now) async -> Decision {
        // Straight in only when nobody of this class or above is waiting: the queue's order is kept.
        let ahead = RequestClass.allCases.filter { $0 >= requestClass }.contains { !(self.waiting[$0] ?? []).isEmpty }
        if self.inFlight < Int(self.limit.limit), !ahead {
            return .admitted(self.take(requestClass, now: now))
        }
        if self.waitingCount >= self.settings.queueCapacity {
            guard let lowest = RequestClass.allCases.first(where: { !(self.waiting[$0] ?? []).isEmpty }), lowest < requestClass,
                  let evicted = self.waiting[lowest]?.popLast()
            else {
                self.shed[requestClass, default: 0] += 1
                return .shed(retryAfter: self.retryAfter())
            }
            self.shed[lowest, default: 0] += 1
            evicted.continuation.resume(returning: .shed(retryAfter: self.retryAfter()))
        }
        self.nextID += 1
        let id = self.nextID
        let deadline = now + (self.settings.maxWait[requestClass] ?? .seconds(1))
        self.queuedCount[requestClass, default: 0] += 1
        return await withCheckedContinuation { continuation in
            self.waiting[requestClass, default: []].append(Waiter(id: id, deadline: deadline, continuation: continuation))
            Task { [weak self] in
                try? await Task.sleep(until: deadline)
                await self?.expire(id, requestClass)
            }
        }
    }

    /// Gives the place back and lets the next waiters in, highest class first.
    public func leave(_ ticket: Ticket, now: ContinuousClock.Instant = .now) {
        self.inFlight -= 1
        let elapsed = now - ticket.started
        let seconds = elapsed / .seconds(1)
        self.limit.record(latency: seconds, inFlight: ticket.inFlightAtStart)
        self.admitWaiting(now: now)
    }

    public func stats() -> Stats {
        func named(_ counts: [RequestClass: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: RequestClass.allCases.map { ($0.description, counts[$0] ?? 0) })
        }
        return Stats(
            admitted: named(self.admitted), queued: named(self.queuedCount), shed: named(self.shed), inFlight: self.inFlight,
            limit: Int(self.limit.limit), waiting: self.waitingCount
        )
    }

    private func take(_ requestClass: RequestClass, now: ContinuousClock.Instant) -> Ticket {
        self.inFlight += 1
        self.admitted[requestClass, default: 0] += 1
        return Ticket(requestClass: requestClass, started: now, inFlightAtStart: self.inFlight)
    }

    private func admitWaiting(now: ContinuousClock.Instant) {
        while self.inFlight < Int(self.limit.limit),
              let requestClass = RequestClass.allCases.reversed().first(where: { !(self.waiting[$0] ?? []).isEmpty }) {
            let waiter = self.waiting[requestClass]!.removeFirst()
            waiter.continuation.resume(returning: .admitted(self.take(requestClass, now: now)))
        }
    }

    private func expire(_ id: Int, _ requestClass: RequestClass) {
        guard let index = self.waiting[requestClass]?.firstIndex(where: { $0.id == id }) else { return }
        let waiter = self.waiting[requestClass]!.remove(at: index)
        self.shed[requestClass, default: 0] += 1
        waiter.continuation.resume(returning: .shed(retryAfter: self.retryAfter()))
    }

    /// A rough, honest wait: the queue ahead served at the current limit and no-load latency, at least 1 s.
    private func retryAfter() -> Int {
        let perRequest = self.limit.noLoadLatency ?? 0.05
        return max(1, Int((Double(self.waitingCount + 1) * perRequest / max(self.limit.limit, 1)).rounded(.up)))
    }
}
