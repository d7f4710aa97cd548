import FloodgateIntegrations
import FloodgateStore
import Logging

/// Work that runs on a schedule in a worker — never on a visitor's request.
///
/// Each run is logged, counted and bounded: it is cancelled at its wall-time limit, and every database
/// query it makes through ``Database`` is charged to its query budget.
public protocol ScheduledTask: Sendable {
    /// What the task is when first registered (an operator can change schedule and budget later).
    var definition: TaskDefinition { get }
    func run(_ context: TaskContext) async throws
}

/// What a run knows about itself.
public struct TaskContext: Sendable {
    public let runID: Int
    public let tick: Int64
    public let worker: String
    public let logger: Logger
}

/// The tasks this version of floodgate ships.
public enum BuiltinTasks {
    /// `runaway` adds the deliberately heavy task used to drill quarantine (`--faults runaway-task`).
    public static func all(
        database: Database, cashier: CashierClient?, runaway: Bool, holdMinutes: Int = 30, tourDaysAhead: Int = 28
    ) -> [any ScheduledTask] {
        var tasks: [any ScheduledTask] = [
            PruneTask(database: database),
            ReleaseHoldsTask(waitlists: SQLWaitlistRepository(database: database, holdMinutes: holdMinutes)),
            GenerateToursTask(
                stores: SQLStoreRepository(database: database),
                tours: SQLTourRepository(database: database, holdMinutes: holdMinutes),
                daysAhead: tourDaysAhead
            ),
        ]
        if let cashier {
            tasks.append(ReconcileReceiptsTask(receipts: SQLReceiptRepository(database: database), cashier: cashier))
        }
        if runaway { tasks.append(RunawayTask(database: database)) }
        return tasks
    }
}
