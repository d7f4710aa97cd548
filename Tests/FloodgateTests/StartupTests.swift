import Configuration
import FloodgateApp
import FloodgateStore
import FloodgateTestSupport
import FloodgateWeb
import Foundation
import Logging
import ServiceLifecycle
import Testing

@Suite("Starting up")
struct StartupTests {
    @Test(
        "Two instances starting at once on one empty database migrate it and load the demo once",
        arguments: TestEngine.available)
    func concurrentStartLoadsDemoOnce(engine: TestEngine) async throws {
        try await engine.withScratch { directory, url in try await Self.startTwice(directory: directory, url: url) }
    }

    /// The configuration as `floodgate serve` reads it, from these values (`admin.token` → `FLOODGATE_ADMIN_TOKEN`).
    private static func config(_ values: [String: String]) throws -> AppSettings {
        var all: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in values {
            all[AbsoluteConfigKey(["floodgate"] + key.split(separator: ".").map(String.init))] = .init(
                .string(value), isSecret: false)
        }
        return try AppSettings(reader: ConfigReader(provider: InMemoryProvider(values: all)))
    }

    /// The message of the error that stops the start, as the command prints it.
    private static func refusal(_ values: [String: String]) -> String? {
        do {
            _ = try Self.config(values)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "An admin token shorter than 32 characters, or with spaces, stops the start with a message that does not show it"
    )
    func shortAdminTokenIsRefused() throws {
        let spaced = String(repeating: "a", count: 20) + " " + String(repeating: "b", count: 20)
        for token in ["s3cret-admin", String(repeating: "a", count: 31), spaced] {
            let message = try #require(Self.refusal(["admin.token": token]), "\(token)")
            #expect(message.contains("'admin.token'") && message.contains("at least 32"), "\(message)")
            #expect(!message.contains(token), "the token is not printed: \(message)")
        }
        let token = String(repeating: "0123456789abcdef", count: 2)
        #expect(try Self.config(["admin.token": token]).http.adminToken == token)
        #expect(try Self.config([:]).http.adminToken == nil, "no token: the admin API stays closed")
    }

    @Test("The admin token can come from a file, so that it is not on the command line")
    func adminTokenFromFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "floodgate-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = "f1e2d3c4b5a697887766554433221100ffeeddccbbaa9988"
        let file = directory.appendingPathComponent("admin-token").path
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: file))
        #expect(try Self.config(["admin.token.file": file]).http.adminToken == token, "read without its line break")

        let both = try #require(Self.refusal(["admin.token.file": file, "admin.token": token]))
        #expect(both.contains("not both"), "\(both)")
        let missing = directory.appendingPathComponent("nowhere").path
        let unreadable = try #require(Self.refusal(["admin.token.file": missing]))
        #expect(unreadable.contains("'admin.token.file'") && unreadable.contains(missing), "\(unreadable)")
        let short = directory.appendingPathComponent("short").path
        try Data("s3cret-admin\n".utf8).write(to: URL(fileURLWithPath: short))
        let refused = try #require(Self.refusal(["admin.token.file": short]))
        #expect(
            refused.contains("'admin.token.file'") && refused.contains("at least 32")
                && !refused.contains("s3cret-admin"), "\(refused)")
    }

    private static func startTwice(directory: URL, url: DatabaseURL) async throws {
        let config = AppSettings(
            logLevel: .error, store: StoreSettings(dataDirectory: directory.path, database: url),
            http: HTTPSettings(port: 0))

        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    // Building opens, migrates and seeds; then a graceful stop closes the database again.
                    let app = try await buildApplication(settings: config)
                    let services = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test")))
                    async let running: Void = services.run()
                    await services.triggerGracefulShutdown()
                    try await running
                }
            }
            try await group.waitForAll()
        }

        let database = try await Database.open(url, logger: Logger(label: "test"))
        let stores = try await database.scalar("SELECT COUNT(*) FROM stores")
        let migrations = try await database.scalar("SELECT COUNT(*) FROM schema_migrations")
        let windows = try await database.scalar("SELECT COUNT(*) FROM delivery_windows WHERE template_id IS NULL")
        let templates = try await database.scalar("SELECT COUNT(*) FROM tour_templates")
        let zones = try await database.scalar("SELECT COUNT(*) FROM zones")
        await database.close()
        #expect(stores == 2)
        #expect(migrations == 5)
        #expect(windows == 14 * 4 + 14 * 2)
        #expect(templates == 1)
        #expect(zones == 2)
    }
}
