import Foundation
import Synchronization
import Testing

@testable import FloodgateAdmission

@Suite("Admission control: request classes, the adaptive limit and the gate")
struct AdmissionTests {
    @Test("Requests are classified by what they do")
    func classify() {
        let browser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120"
        #expect(
            RequestClass.classify(method: "POST", path: "/api/v1/stores/petals/orders", userAgent: browser) == .checkout
        )
        #expect(RequestClass.classify(method: "GET", path: "/s/petals/checkout", userAgent: browser) == .checkout)
        #expect(RequestClass.classify(method: "POST", path: "/s/petals/cart/add", userAgent: browser) == .cart)
        #expect(RequestClass.classify(method: "GET", path: "/s/petals/products/3", userAgent: browser) == .browse)
        #expect(
            RequestClass.classify(method: "GET", path: "/api/v1/stores/petals/products", userAgent: browser) == .browse)
        #expect(
            RequestClass.classify(
                method: "GET", path: "/s/petals/", userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1)") == .bot)
        #expect(RequestClass.classify(method: "GET", path: "/s/petals/", userAgent: nil) == .bot)
        #expect(RequestClass.classify(method: "GET", path: "/healthz", userAgent: nil) == nil)
    }

    @Test("The limit grows while latency stays near no-load and shrinks when queues build up")
    func adaptiveLimit() {
        var limit = AdaptiveLimit(initial: 20, minLimit: 4, maxLimit: 200)
        for _ in 0..<200 { limit.record(latency: 0.002, inFlight: Int(limit.limit)) }
        let grown = limit.limit
        #expect(grown > 40, "busy and fast: grown to \(grown)")
        for _ in 0..<200 { limit.record(latency: 0.050, inFlight: Int(limit.limit)) }
        #expect(limit.limit < grown / 2, "latency 25× no-load: shrunk to \(limit.limit)")
        var idle = AdaptiveLimit(initial: 20)
        for _ in 0..<200 { idle.record(latency: 0.002, inFlight: 1) }
        #expect(idle.limit == 20, "an idle server learns nothing about its ceiling")
    }

    final class Arrivals: Sendable {
        let classes = Mutex<[RequestClass]>([])
    }

    /// A gate with a fixed limit of two.
    static func gate(queue: Int = 8, maxWait: Duration = .seconds(5)) -> AdmissionGate {
        AdmissionGate(
            limit: AdaptiveLimit(initial: 2, minLimit: 2, maxLimit: 2),
            settings: .init(
                queueCapacity: queue,
                maxWait: Dictionary(uniqueKeysWithValues: RequestClass.allCases.map { ($0, maxWait) }))
        )
    }

    static func ticket(_ decision: AdmissionGate.Decision) -> AdmissionGate.Ticket? {
        if case .admitted(let ticket) = decision { return ticket }
        return nil
    }

    @Test("Waiters are let in highest class first, whatever their arrival order")
    func classOrder() async throws {
        // Waits long enough for a machine busy with the whole suite: this test is about order, not deadlines.
        let gate = Self.gate(maxWait: .seconds(60))
        let first = try #require(Self.ticket(await gate.enter(.browse)))
        let second = try #require(Self.ticket(await gate.enter(.browse)))
        let order = Arrivals()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for requestClass in [RequestClass.bot, .browse, .cart, .checkout] {
                group.addTask {
                    let ticket = try #require(Self.ticket(await gate.enter(requestClass)))
                    order.classes.withLock { $0.append(ticket.requestClass) }
                    gate.leave(ticket)
                }
                // Arrival order is the loop's order.
                while gate.stats().waiting < (requestClass.rawValue + 1) { await Task.yield() }
            }
            gate.leave(first)
            gate.leave(second)
            try await group.waitForAll()
        }
        #expect(order.classes.withLock { $0 } == [.checkout, .cart, .browse, .bot])
    }

    @Test("A full queue refuses the lowest class first; a deadline refuses a waiter on time")
    func shedding() async throws {
        let gate = Self.gate(queue: 1, maxWait: .milliseconds(300))
        _ = try #require(Self.ticket(await gate.enter(.checkout)))
        _ = try #require(Self.ticket(await gate.enter(.checkout)))
        async let botWaits = gate.enter(.bot)
        while gate.stats().waiting < 1 { await Task.yield() }
        // The queue is full: a browse request evicts the waiting bot, another bot is refused at once.
        async let browseWaits = gate.enter(.browse)
        guard case .shed = await botWaits else {
            Issue.record("the bot should have been evicted")
            return
        }
        guard case .shed(let retryAfter) = await gate.enter(.bot) else {
            Issue.record("a bot behind a full queue is refused")
            return
        }
        #expect(retryAfter >= 1)
        // Nobody leaves: the browse request is refused at its deadline, not left hanging.
        let started = ContinuousClock.now
        guard case .shed = await browseWaits else {
            Issue.record("the deadline should have refused it")
            return
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        let stats = gate.stats()
        #expect(
            stats.shed["bot"] == 2 && stats.shed["browse"] == 1 && stats.admitted["checkout"] == 2 && stats.waiting == 0
        )
    }
}

extension AdmissionTests {
    @Test("A request whose wait would pass its deadline is refused at once, not after waiting")
    func predictiveShedding() async throws {
        let gate = AdmissionGate(
            limit: AdaptiveLimit(initial: 1, minLimit: 1, maxLimit: 1),
            settings: .init(queueCapacity: 100, maxWait: [.browse: .milliseconds(150), .checkout: .seconds(5)])
        )
        // One request holds the only place for 300 ms: the gate learns how long a place is held.
        let first = try #require(Self.ticket(await gate.enter(.browse)))
        gate.leave(first, now: .now + .milliseconds(300))
        let holder = try #require(Self.ticket(await gate.enter(.browse)))
        let queuedBefore = gate.stats().queued["browse"] ?? 0
        guard case .shed(let retryAfter) = await gate.enter(.browse) else {
            Issue.record("a 300 ms wait passes a 150 ms deadline")
            return
        }
        // Refused at once: it never joined the queue (a refusal at its deadline would have queued first).
        #expect(gate.stats().queued["browse"] ?? 0 == queuedBefore, "refused at once, without queueing")
        #expect(retryAfter >= 1)
        // A checkout, allowed to wait 5 s, queues and gets the place when it is free.
        async let checkout = gate.enter(.checkout)
        while gate.stats().waiting < 1 { await Task.yield() }
        gate.leave(holder)
        guard case .admitted(let ticket) = await checkout else {
            Issue.record("the checkout waits its turn")
            return
        }
        gate.leave(ticket)
        #expect(gate.stats().shed["browse"] == 1 && gate.stats().admitted["checkout"] == 1)
    }

    @Test("With checkouts waiting at their door, a pages door set to give way lets only its few in")
    func pagesGiveWay() async throws {
        let checkout = AdmissionGate(
            limit: AdaptiveLimit(initial: 1, minLimit: 1, maxLimit: 1),
            settings: .init(maxWait: [.checkout: .seconds(5)]))
        let pages = AdmissionGate(
            limit: AdaptiveLimit(initial: 10, minLimit: 10, maxLimit: 10),
            settings: .init(maxWait: [.browse: .milliseconds(200)]),
            yieldTo: checkout, yieldLimit: 2
        )
        let paying = try #require(Self.ticket(await checkout.enter(.checkout)))
        async let second = checkout.enter(.checkout)
        while checkout.waiting < 1 { await Task.yield() }
        var admitted: [AdmissionGate.Ticket] = []
        for _ in 0..<2 { admitted.append(try #require(Self.ticket(await pages.enter(.browse)))) }
        guard case .shed = await pages.enter(.browse) else {
            Issue.record("a third page waits past its 200 ms while checkouts wait")
            return
        }
        checkout.leave(paying)
        guard case .admitted(let ticket) = await second else {
            Issue.record("the waiting checkout gets the place")
            return
        }
        // Nobody waits for checkout any more: the pages door is back to its own limit.
        for _ in 0..<5 { admitted.append(try #require(Self.ticket(await pages.enter(.browse)))) }
        checkout.leave(ticket)
        for ticket in admitted { pages.leave(ticket) }
    }

    @Test("Crawler marks are found in any case, and nothing else is")
    func asciiSearch() {
        #expect(ASCIISearch.contains("Mozilla/5.0 (compatible; Googlebot/2.1)", "bot"))
        #expect(ASCIISearch.contains("CURL/8.1", "curl/"))
        #expect(!ASCIISearch.contains("Mozilla/5.0 (X11; Linux x86_64) Chrome/120", "bot"))
        #expect(!ASCIISearch.contains("bo", "bot"))
        #expect(ASCIISearch.contains("a=1; cart_petals=3x1", "cart_"))
    }

    @Test("Crawlers hold at most their share of the places, even when the rest are free")
    func crawlerShare() async throws {
        let gate = AdmissionGate(
            limit: AdaptiveLimit(initial: 10, minLimit: 10, maxLimit: 10),
            settings: .init(queueCapacity: 4, maxWait: [.bot: .milliseconds(100)], maxShare: [.bot: 0.2])
        )
        var bots: [AdmissionGate.Ticket] = []
        for _ in 0..<2 { bots.append(try #require(Self.ticket(await gate.enter(.bot)))) }
        let started = ContinuousClock.now
        guard case .shed = await gate.enter(.bot) else {
            Issue.record("a third crawler is over its 20 % share")
            return
        }
        // Shed at its 100 ms deadline (no place frees here, so anything else would wait for ever); the bound is loose
        // for a machine busy with the whole suite.
        #expect(ContinuousClock.now - started < .seconds(30), "refused at its deadline")
        var people: [AdmissionGate.Ticket] = []
        for _ in 0..<8 { people.append(try #require(Self.ticket(await gate.enter(.browse)))) }
        #expect(gate.stats().inFlight == 10)
        for ticket in bots + people { gate.leave(ticket) }
        #expect(gate.stats().inFlight == 0)
    }

    @Test("A latency percentile is the upper edge of its bucket: never below the true value, at most 4.4 % above")
    func latencyBuckets() throws {
        var buckets = LatencyBuckets()
        #expect(buckets.percentile(99) == nil)
        // 1..1000 ms, one each: the true p50 is 500 ms, the true p99 990 ms.
        for millis in 1...1_000 { buckets.record(seconds: Double(millis) / 1_000) }
        let p50 = try #require(buckets.percentile(50))
        let p99 = try #require(buckets.percentile(99))
        #expect(p50 >= 500 && p50 <= 500 * 1.045, "p50 \(p50)")
        #expect(p99 >= 990 && p99 <= 990 * 1.045, "p99 \(p99)")
        // Either side of 250 ms is told apart (buckets of 19 % put 221 and 262 ms together).
        var under = LatencyBuckets(), over = LatencyBuckets()
        under.record(seconds: 0.238)
        over.record(seconds: 0.262)
        #expect(try #require(under.percentile(99)) <= 250)
        #expect(try #require(over.percentile(99)) > 250)
        // A reader outside the shop gets the bucket width with the counts.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(under)) as? [String: Any]
        #expect(json?["bucketsPerOctave"] as? Int == 16)
        #expect((json?["counts"] as? [Int])?.reduce(0, +) == 1)
    }
}

@Suite("Per-client rate limits")
struct ClientRateLimiterTests {
    @Test("A client gets its burst, then its rate; another client is not affected")
    func bucket() {
        var limiter = ClientRateLimiter(rate: 2, burst: 5)
        let allowed = (0..<8).filter { _ in limiter.take("203.0.113.7", now: 0) == .within }.count
        #expect(allowed == 5)
        guard case .refused(let wait) = limiter.take("203.0.113.7", now: 0) else {
            Issue.record("past the burst")
            return
        }
        #expect(abs(wait - 0.5) < 0.01, "one token comes back in half a second")
        #expect(limiter.take("198.51.100.1", now: 0) == .within)
        #expect(limiter.take("203.0.113.7", now: 0.5) == .within)
        #expect(limiter.take("203.0.113.7", now: 0.5) != .within)
    }

    @Test("Past its rate a client is first served as a robot (its debt), then refused")
    func debt() {
        var limiter = ClientRateLimiter(rate: 1, burst: 2, debt: 3)
        let verdicts = (0..<6).map { _ in limiter.take("203.0.113.9", now: 0) }
        #expect(verdicts.prefix(5) == [.within, .within, .over, .over, .over])
        guard case .refused(let wait) = verdicts[5] else {
            Issue.record("past the debt: \(verdicts)")
            return
        }
        #expect(abs(wait - 1) < 0.01, "back within the debt after one token, one second")
        #expect(limiter.take("203.0.113.9", now: 1) == .over)
    }

    @Test("Taking only within the rate charges nothing past it (the request is charged where it goes on)")
    func onlyWithin() {
        var limiter = ClientRateLimiter(rate: 1, burst: 2, debt: 3)
        #expect(limiter.take("203.0.113.9", now: 0, onlyWithin: true) == .within)
        #expect(limiter.take("203.0.113.9", now: 0, onlyWithin: true) == .within)
        #expect(
            (0..<5).allSatisfy { _ in limiter.take("203.0.113.9", now: 0, onlyWithin: true) == .over },
            "over, and nothing charged")
        #expect(
            (0..<3).map { _ in limiter.take("203.0.113.9", now: 0) } == [.over, .over, .over],
            "the whole debt is still there")
    }

    @Test("Memory stays bounded under a hundred thousand distinct clients; a busy client keeps its state")
    func bounded() {
        var limiter = ClientRateLimiter(rate: 1, burst: 3, maxClients: 1_000)
        for _ in 0..<3 { _ = limiter.take("abuser", now: 0) }
        for index in 0..<100_000 {
            _ = limiter.take("client-\(index)", now: Double(index) / 1_000_000)
            #expect(limiter.count <= 1_000)
            if index % 100 == 0 { _ = limiter.take("abuser", now: Double(index) / 1_000_000) }
        }
        #expect(limiter.take("abuser", now: 0.1) != .within, "the abuser, busy all along and empty, is still limited")
    }
}
