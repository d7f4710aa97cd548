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
        let ended = try await self.waitlists.releaseExpiredHolds(now: Clock.nowMillis)
        if ended > 0 { context.logger.info("waiting-list holds ran out", metadata: ["holds": "\(ended)"]) }
    }
}

/// Nightly: adds the tours weekly templates give for the days ahead (a template saved in the back-office
/// generates at once; this keeps the horizon moving).
struct GenerateToursTask: ScheduledTask {
    let stores: any StoreRepository
    let tours: any TourRepository
    let daysAhead: Int
    var definition: TaskDefinition {
        TaskDefinition(name: "generate-tours", schedule: "7 0 * * *", timeout: .seconds(120), maxQueries: 50_000)
    }

    func run(_ context: TaskContext) async throws {
        var added = 0
        for store in try await self.stores.all() { added += try await self.tours.generateTours(store: store, days: self.daysAhead) }
        context.logger.info("tours generated", metadata: ["tours": "\(added)"])
    }
}
