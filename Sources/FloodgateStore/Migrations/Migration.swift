import SQLKit

/// One numbered step of the schema. Once a migration has landed it is never edited: add a new one.
struct Migration: Sendable {
    let version: Int
    let name: String
    let apply: @Sendable (any SQLDatabase) async throws -> Void
    /// Rebuilds a table others refer to: on SQLite it runs with foreign-key enforcement off (see
    /// ``Database/rebuildingTransaction(_:)``).
    var rebuildsTables = false
}
