import FloodgateStore
import SQLKit

/// A deliberately heavy task, like the cash-register module's update routine in the founding story:
/// a tight loop of queries that never ends by itself. Registered only with `--faults runaway-task`, to
/// show (and measure) that budgets cancel it, quarantine pauses it and the storefront does not notice.
struct RunawayTask: ScheduledTask {
    let database: Database
    var definition: TaskDefinition {
        TaskDefinition(name: "runaway", schedule: "*/2 * * * * *", timeout: .seconds(5), maxQueries: 2_000)
    }

    func run(_ context: TaskContext) async throws {
        while true {
            _ = try await self.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n, SUM(l.quantity) AS q FROM orders o JOIN order_lines l ON l.order_id = o.id").all()
            }
        }
    }
}
