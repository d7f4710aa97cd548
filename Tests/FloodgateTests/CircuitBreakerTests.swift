import FloodgateJobs
import Logging
import Testing

@Suite("Circuit breakers")
struct CircuitBreakerTests {
    let logger = Logger(label: "test-breaker")

    @Test("Opens after the threshold, holds work during the cool-down, lets one probe through, closes on success")
    func lifecycle() async {
        let breaker = CircuitBreaker(integration: "cashier", threshold: 3, cooldown: .seconds(10), logger: self.logger)
        let start = ContinuousClock.now
        for _ in 0..<2 { await breaker.record(success: false, now: start) }
        #expect(await breaker.intake(now: start) == .all)
        #expect(await breaker.admit(now: start) == .run, "two failures are not an outage yet")
        await breaker.record(success: false, now: start)
        #expect(await breaker.state(now: start) == "open")
        #expect(await breaker.intake(now: start + .seconds(5)) == .nothing)
        #expect(await breaker.admit(now: start + .seconds(4)) == .wait(.seconds(6)))

        let later = start + .seconds(10)
        #expect(await breaker.intake(now: later) == .one, "a worker takes the one job to probe with")
        #expect(await breaker.admit(now: later) == .probe)
        #expect(await breaker.intake(now: later) == .nothing, "none more while the probe runs")
        #expect(await breaker.admit(now: later) == .wait(.seconds(10)), "one probe at a time")
        await breaker.record(success: true, now: later)
        #expect(await breaker.state(now: later) == "closed")
        #expect(await breaker.intake(now: later) == .all)
        #expect(await breaker.admit(now: later) == .run)
    }

    @Test("A failed probe opens it again for twice as long")
    func failedProbeDoublesCooldown() async {
        let breaker = CircuitBreaker(integration: "mail", threshold: 1, cooldown: .seconds(2), logger: self.logger)
        let start = ContinuousClock.now
        await breaker.record(success: false, now: start)
        #expect(await breaker.admit(now: start + .seconds(2)) == .probe)
        await breaker.record(success: false, now: start + .seconds(2))
        #expect(await breaker.admit(now: start + .seconds(5)) == .wait(.seconds(1)))
        #expect(await breaker.admit(now: start + .seconds(6)) == .probe)
    }
}
