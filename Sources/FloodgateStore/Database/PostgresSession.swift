import Logging
import PostgresKit
import SQLKit

/// One pooled PostgreSQL connection outside any transaction: SQLKit over it, and its prepared statements.
///
/// Each statement commits by itself. PostgreSQL parses, analyses and plans a statement sent as text every
/// time; a prepared one is parsed once per connection and its plan can be kept.
struct PostgresSession: Sendable {
    /// SQLKit over the connection, charged to the request's ``QueryBudget`` like any other query.
    let sql: any SQLDatabase
    let connection: PostgresConnection
    let budget: QueryBudget?
    let logger: Logger

    /// Runs `statement`, prepared on this connection the first time, and returns its rows.
    func run<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        try self.budget?.spend()
        var rows: [Statement.Row] = []
        for try await row in try await self.connection.execute(statement, logger: self.logger) {
            rows.append(row)
        }
        return rows
    }
}
