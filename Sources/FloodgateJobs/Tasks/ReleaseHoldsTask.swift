import FloodgateCore
import FloodgateStore

/// Every 15 seconds: waiting-list holds that ran out end, and each place passes to the next in line.
///
/// A hold is also refused at checkout the moment it runs out, whether or not this task has run yet; the
/// task only moves the place on.
struct ReleaseHoldsTask: ScheduledTask {
    let waitlists: any WaitlistRepository
    var definition: TaskDefinition {
        TaskDefinition(name: "release-holds", schedule: "*/15 * * * * *", timeout: .seconds(60), maxQueries: 10_000)
    }

    func run(_ context: TaskContext) async throws {
        let ended = try await self.waitlists.releaseExpiredHolds(now: WallClock.nowMillis)
        if ended > 0 { context.logger.info("waiting-list holds ran out", metadata: ["holds": "\(ended)"]) }
    }
}
