import FloodgateStore

/// A deliberately heavy task, like the cash-register module's update routine in the founding story:
/// a tight loop of queries that never ends by itself. Registered only with `--faults runaway-task`, to
/// show (and measure) that budgets cancel it, quarantine pauses it and the storefront does not notice.
struct RunawayTask: ScheduledTask {
    let database: Database
    var definition: TaskDefinition {
        TaskDefinition(name: "runaway", schedule: "*/2 * * * * *", timeout: .seconds(5), maxQueries: 2_000)
    }

    func run(_ context: TaskContext) async throws {
        let statistics = OrderStatistics(database: self.database)
        while true {
            _ = try await statistics.totals()
        }
    }
}
