import Logging
import NIOCore
import SQLKit
import SQLiteKit

/// SQLKit on the writer's ``DirectSQLiteConnection``: the same dialect, encoder and decoder as SQLiteKit's,
/// so a transaction body reads and writes exactly as it would on an `SQLiteConnection`.
///
/// A statement runs to its end before `execute` returns, without suspending: call it on the writer's thread.
struct DirectSQLiteDatabase: SQLDatabase {
    let connection: DirectSQLiteConnection
    let logger: Logger
    let eventLoop: any EventLoop
    let encoder = SQLiteDataEncoder()
    let decoder = SQLiteDataDecoder()

    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        do {
            try self.run(query, onRow)
            return self.eventLoop.makeSucceededVoidFuture()
        } catch {
            return self.eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try self.run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: @Sendable (any SQLRow) -> Void) throws {
        let (sql, binds) = self.serialize(query)
        let values = try binds.map { try self.encoder.encode($0) }
        try self.connection.run(sql, values) { row in onRow(DirectSQLiteRow(row: row, decoder: self.decoder)) }
    }
}

/// A row of the writer's connection, decoded as SQLiteKit decodes its own rows.
private struct DirectSQLiteRow: SQLRow {
    let row: SQLiteRowValues
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { self.row.columns }

    func contains(column: String) -> Bool {
        self.row.value(column) != nil
    }

    func decodeNil(column: String) throws -> Bool {
        (self.row.value(column) ?? .null) == .null
    }

    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let value = self.row.value(column) else { throw MissingColumn(column: column) }
        return try self.decoder.decode(D.self, from: value)
    }

    /// A column the statement did not return.
    struct MissingColumn: Error {
        let column: String
    }
}
