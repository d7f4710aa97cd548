import FloodgateCore
import FloodgateStore

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
        for store in try await self.stores.all() {
            added += try await self.tours.generateTours(store: store, days: self.daysAhead, by: .system)
        }
        context.logger.info("tours generated", metadata: ["tours": "\(added)"])
    }
}
