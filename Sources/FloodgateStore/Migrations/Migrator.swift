import Foundation
import Logging
import SQLKit

/// Brings a database's schema up to date, one numbered migration per transaction.
///
/// On PostgreSQL an advisory lock keeps several instances starting at once from migrating twice; on
/// SQLite the single writer does the same.
public struct Migrator: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Every migration this binary knows, in order.
    static let all: [Migration] = [
        Migration(version: 1, name: "shops, catalog, delivery windows, orders", apply: Schema1.apply),
        Migration(version: 2, name: "outbox jobs", apply: Schema2.apply),
        Migration(version: 3, name: "fiscal receipts, scheduled tasks and their runs", apply: Schema3.apply),
        Migration(
            version: 4, name: "tours, zones, waiting lists, order history, staff", apply: Schema4.apply,
            rebuildsTables: true
        ),
        Migration(
            version: 5, name: "per-store access, session ends, second factors, the audit log", apply: Schema5.apply),
    ]

    /// Applies what is missing (up to `through`, to test an upgrade from an older schema) and returns the
    /// versions applied now.
    @discardableResult
    public func migrate(logger: Logger, through last: Int = .max) async throws -> [Int] {
        try await self.database.transaction { db in
            try await self.database.lockSchema(on: db)
            try await db.create(table: "schema_migrations").ifNotExists()
                .column("version", type: .bigint, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .bigint, .notNull)
                .run()
        }
        var applied: [Int] = []
        for migration in Self.all where migration.version <= last {
            let work: @Sendable (any SQLDatabase) async throws -> Bool = { db in
                try await self.database.lockSchema(on: db)
                let existing = try await db.select().column("version").from("schema_migrations")
                    .where("version", .equal, migration.version).first()
                if existing != nil { return false }
                do {
                    try await migration.apply(db)
                } catch {
                    throw DatabaseError.migrationFailed(version: migration.version, reason: String(reflecting: error))
                }
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(WallClock.nowMillis))
                    .run()
                return true
            }
            let done =
                migration.rebuildsTables
                ? try await self.database.rebuildingTransaction(work) : try await self.database.transaction(work)
            if done {
                logger.info(
                    "applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        let newest = try await self.currentVersion()
        if let known = Self.all.last?.version, newest > known {
            throw DatabaseError.schemaTooNew(found: newest, known: known)
        }
        return applied
    }

    /// The highest migration applied to this database (0 for an empty one).
    public func currentVersion() async throws -> Int {
        try await self.database.read { db in
            let row = try await db.select().column(SQLFunction("MAX", args: SQLColumn("version")), as: "v")
                .from("schema_migrations").first()
            return try row?.decodeNil(column: "v") == false ? row?.decode(column: "v", as: Int.self) ?? 0 : 0
        }
    }
}
