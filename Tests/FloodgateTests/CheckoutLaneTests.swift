import FloodgateAdmission
import Testing

@testable import FloodgateStore

/// The admission gate on the checkout lane's thread (a ``ThreadExecutor``), as the middleware uses it.
@Suite("Admission on the checkout lane")
struct CheckoutLaneTests {
    @Test("A checkout waiting at its door on the checkout lane is woken there, not on the shared pool")
    func wokenOnTheLane() async throws {
        // The middleware makes a checkout wait on its lane for this: woken on Swift's shared pool, an admitted
        // checkout held its place at the door while it waited there for a thread.
        let gate = AdmissionGate(
            limit: AdaptiveLimit(initial: 1, minLimit: 1, maxLimit: 1),
            settings: .init(maxWait: [.checkout: .seconds(5)]))
        let lane = ThreadExecutor(threads: 1)
        let holder = try #require(AdmissionTestsTicket.of(await gate.enter(.checkout)))
        async let wokenOnLane: Bool? = withTaskExecutorPreference(lane) {
            guard case .admitted(let ticket) = await gate.enter(.checkout) else { return nil }
            defer { gate.leave(ticket) }
            return lane.loop.inEventLoop
        }
        while gate.stats().waiting < 1 { await Task.yield() }
        // The place is freed from here, off the lane.
        #expect(!lane.loop.inEventLoop)
        gate.leave(holder)
        #expect(await wokenOnLane == true)
        await lane.shutdown()
    }
}

enum AdmissionTestsTicket {
    static func of(_ decision: AdmissionGate.Decision) -> AdmissionGate.Ticket? {
        if case .admitted(let ticket) = decision { return ticket }
        return nil
    }
}
