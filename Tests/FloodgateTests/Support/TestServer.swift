import AsyncHTTPClient
import FloodgateAdmission
import FloodgateApp
import FloodgateStore
import FloodgateTestSupport
import FloodgateWeb
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A real Floodgate server on a loopback port with demo data, its own database, and a real HTTP client.
struct TestServer: Sendable {
    let baseURL: String
    let client: HTTPClient
    /// A second handle on the same database, for checking what was (or was not) written.
    let database: Database
    let engine: TestEngine
    /// The server's data folder (photos, emails written as files).
    let dataDirectory: String
    /// The configuration the server was built with.
    let config: AppSettings

    /// Starts a server, runs `body` against it, and stops it.
    static func run(
        _ engine: TestEngine, configure: (inout AppSettings) -> Void = { _ in },
        _ body: @Sendable (TestServer) async throws -> Void
    ) async throws {
        try await engine.withScratch { directory, url in
            var config = AppSettings(
                logLevel: .warning, store: StoreSettings(dataDirectory: directory.path, database: url, loadDemo: true),
                http: HTTPSettings(host: "127.0.0.1", port: 0)
            )
            // Every test request comes from 127.0.0.1: one client by address. Tests of per-client limits set their own.
            config.http.admission.clientRate = 1_000_000
            config.http.admission.clientBurst = 1_000_000
            // The whole suite runs at once on two cores: a test's request waits for a place, and for the database,
            // rather than being shed as on a busy day. Tests of shedding and deadlines set their own.
            config.http.admission.maxWait = Dictionary(
                uniqueKeysWithValues: RequestClass.allCases.map { ($0, Duration.seconds(30)) })
            config.http.admission.deadline = Dictionary(
                uniqueKeysWithValues: RequestClass.allCases.map { ($0, Duration.seconds(60)) })
            configure(&config)
            try await Self.run(engine, config: config, url: url, body)
        }
    }

    private static func run(
        _ engine: TestEngine, config: AppSettings, url: DatabaseURL, _ body: @Sendable (TestServer) async throws -> Void
    ) async throws {
        let port = PortBox()
        let app = try await buildApplication(settings: config) { channel in port.set(channel.localAddress?.port ?? 0) }

        var clientConfig = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(60)))
        clientConfig.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 128
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfig)
        let database = try await Database.open(
            url, readers: 1, maxConnections: 4, logger: Logger(label: "test-inspect"))

        let services = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test-server")))
        let outcome: Result<Void, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await services.run() }
            let result: Result<Void, any Error>
            do {
                let bound = try await port.wait()
                result = .success(
                    try await body(
                        TestServer(
                            baseURL: "http://127.0.0.1:\(bound)", client: client, database: database, engine: engine,
                            dataDirectory: config.store.dataDirectory,
                            config: config
                        )))
            } catch {
                result = .failure(error)
            }
            // A graceful stop, as SIGTERM does: the server drains, then the database closes.
            await services.triggerGracefulShutdown()
            await group.waitForAll()
            return result
        }
        try? await client.shutdown()
        await database.close()
        try outcome.get()
    }
}

/// Hands the bound port from the server's start callback to the test.
final class PortBox: Sendable {
    private let port = Mutex(0)

    func set(_ value: Int) { self.port.withLock { $0 = value } }

    func wait() async throws -> Int {
        for _ in 0..<500 {
            let value = self.port.withLock { $0 }
            if value != 0 { return value }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSetupError("the server did not start listening within 5 s")
    }
}
