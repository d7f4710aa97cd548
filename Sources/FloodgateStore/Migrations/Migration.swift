import SQLKit

/// One numbered step of the schema. Once a migration has landed it is never edited: add a new one.
struct Migration: Sendable {
    let version: Int
    let name: String
    let apply: @Sendable (any SQLDatabase) async throws -> Void
}
