import FloodgateStore
import Foundation
import Logging

/// The database engines the suite runs against.
///
/// SQLite always runs. PostgreSQL runs when `FLOODGATE_TEST_POSTGRES_URL` names a server (scripts/test starts
/// a throwaway cluster and sets it); with `FLOODGATE_REQUIRE_POSTGRES=1` a missing server fails the suite.
public enum TestEngine: String, CaseIterable, Sendable {
    case sqlite
    case postgres

    public static var adminURL: String? { ProcessInfo.processInfo.environment["FLOODGATE_TEST_POSTGRES_URL"] }
    public static var postgresRequired: Bool {
        ProcessInfo.processInfo.environment["FLOODGATE_REQUIRE_POSTGRES"] == "1"
    }

    /// Engines to run now.
    public static var available: [TestEngine] {
        (adminURL != nil || postgresRequired) ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A fresh, empty database for one test, and a way to drop it afterwards.
    private func makeDatabase(dataDirectory: URL) async throws -> (url: DatabaseURL, drop: @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let path = dataDirectory.appendingPathComponent("floodgate.sqlite").path
            return (.sqlite(path: path), {})
        case .postgres:
            guard let admin = Self.adminURL else {
                throw TestSetupError(
                    "FLOODGATE_REQUIRE_POSTGRES=1 but FLOODGATE_TEST_POSTGRES_URL is not set; run scripts/test")
            }
            let adminURL = try DatabaseURL(admin)
            guard case .postgres(var pg) = adminURL else {
                throw TestSetupError("FLOODGATE_TEST_POSTGRES_URL must be postgres://")
            }
            let name = "fg_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
            try await Self.withAdmin(adminURL) { db in try await db.executeOutsideTransaction("CREATE DATABASE \(name)")
            }
            pg.database = name
            return (
                .postgres(pg),
                {
                    try? await Self.withAdmin(adminURL) { db in
                        try await db.executeOutsideTransaction("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                    }
                }
            )
        }
    }

    /// Runs `body` with a fresh data folder and an empty database of this engine, both removed afterwards.
    public func withScratch<T>(_ body: (_ directory: URL, _ database: DatabaseURL) async throws -> T) async throws -> T
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "floodgate-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (url, drop) = try await self.makeDatabase(dataDirectory: directory)
        let result: Result<T, any Error>
        do { result = .success(try await body(directory, url)) } catch { result = .failure(error) }
        await drop()
        return try result.get()
    }

    private static func withAdmin(_ url: DatabaseURL, _ body: @Sendable (Database) async throws -> Void) async throws {
        try await Database.withOpened(url, maxConnections: 1, logger: Logger(label: "test-admin"), body)
    }
}

/// A test's surroundings could not be set up (a peer did not start, a fixture is missing): not the shop's fault.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension TestEngine {
    /// Runs `body` with a migrated, empty database of this engine and its job queue, removed afterwards.
    public func withQueue(_ body: (Database, any JobQueue) async throws -> Void) async throws {
        try await self.withScratch { _, url in
            try await Database.withOpened(url, logger: Logger(label: "test")) { database in
                try await Migrator(database: database).migrate(logger: Logger(label: "test"))
                try await body(database, SQLJobQueue(database: database))
            }
        }
    }
}
