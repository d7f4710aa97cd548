import Logging
import NIOCore
import SQLKit
import Synchronization

/// The most database queries a piece of work may make; every query through ``Database`` counts while
/// it is ``current``.
///
/// Past the limit, and once the work has been cancelled, each further query throws: a runaway loop of
/// queries is stopped at the database door even if its code never looks at cancellation.
public final class QueryBudget: Sendable {
    public let limit: Int
    private let counter = Mutex(0)

    @TaskLocal public static var current: QueryBudget?

    public init(limit: Int) {
        self.limit = limit
    }

    /// Queries made so far (including the refused one that broke the budget).
    public var used: Int { self.counter.withLock { $0 } }

    func spend() throws {
        let used = self.counter.withLock { count in
            count += 1
            return count
        }
        if used > self.limit { throw QueryBudgetExceeded(limit: self.limit) }
        try Task.checkCancellation()
    }
}

/// Work made more queries than its budget allows.
public struct QueryBudgetExceeded: Error, CustomStringConvertible {
    public let limit: Int

    public var description: String { "The run made more than \(self.limit) database queries and was stopped." }
}

/// An `SQLDatabase` that charges every query to a ``QueryBudget``.
struct BudgetedDatabase: SQLDatabase {
    let base: any SQLDatabase
    let budget: QueryBudget

    var logger: Logger { self.base.logger }
    var eventLoop: any EventLoop { self.base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { self.base.version }
    var dialect: any SQLDialect { self.base.dialect }
    var queryLogLevel: Logger.Level? { self.base.queryLogLevel }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        do {
            try self.budget.spend()
        } catch {
            return self.eventLoop.makeFailedFuture(error)
        }
        return self.base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try self.budget.spend()
        try await self.base.execute(sql: query, onRow)
    }
}

extension QueryBudget {
    /// `db` charged to the current budget, if there is one.
    static func charge(_ db: any SQLDatabase, to budget: QueryBudget?) -> any SQLDatabase {
        budget.map { BudgetedDatabase(base: db, budget: $0) } ?? db
    }
}
