import FloodgateStore
import SQLKit

extension Database {
    /// Runs a statement in a transaction of its own (tests use it to set up capacity and the like).
    public func execute(_ sql: String) async throws {
        try await self.transaction { try await $0.raw(SQLQueryString(sql)).run() }
    }

    /// Runs a statement that must not be inside a transaction (`CREATE DATABASE`).
    public func executeOutsideTransaction(_ sql: String) async throws {
        try await self.read { try await $0.raw(SQLQueryString(sql)).run() }
    }

    /// The first column of every row, as text.
    public func strings(_ sql: String) async throws -> [String] {
        try await self.read { db in
            try await db.raw(SQLQueryString(sql)).all().map { row in
                try row.decode(column: row.allColumns[0], as: String.self)
            }
        }
    }

    /// The first column of the first row, as an integer.
    public func scalar(_ sql: String) async throws -> Int {
        try await self.read { db in
            guard let row = try await db.raw(SQLQueryString(sql)).first() else { return 0 }
            return try row.decode(column: row.allColumns[0], as: Int.self)
        }
    }
}
