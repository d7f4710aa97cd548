import FloodgateStore
import FloodgateWeb
import Foundation
import Logging
import ServiceLifecycle
import Testing

@Suite("Starting up")
struct StartupTests {
    @Test("Two instances starting at once on one empty database migrate it and load the demo once", arguments: TestEngine.available)
    func concurrentStartLoadsDemoOnce(engine: TestEngine) async throws {
        try await engine.withScratch { directory, url in try await Self.startTwice(directory: directory, url: url) }
    }

    private static func startTwice(directory: URL, url: DatabaseURL) async throws {
        let config = AppConfig(port: 0, dataDirectory: directory.path, database: url, loadDemo: true, logLevel: .error)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    // Building opens, migrates and seeds; then a graceful stop closes the database again.
                    let app = try await buildApplication(config: config)
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
        #expect(migrations == 4)
        #expect(windows == 14 * 4 + 14 * 2)
        #expect(templates == 1)
        #expect(zones == 2)
    }
}
