import ArgumentParser
import FloodgateWeb
import Logging
import ServiceLifecycle

/// `floodgate worker`: runs deferred jobs and scheduled tasks only, no web server (same as `serve --role worker`).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the job worker and the scheduled tasks only, no web server. Stops cleanly on SIGTERM."
    )

    @OptionGroup var integrations: IntegrationOptions

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        var config = try AppConfig(reader: try await self.dataOptions.reader(adding: self.integrations.values))
        config.role = .worker
        try await Self.runWorker(config: config)
    }

    static func runWorker(config: AppConfig) async throws {
        var logger = Logger(label: "floodgate")
        logger.logLevel = config.logLevel
        let services = try await buildWorkerProcess(config: config)
        let group = ServiceGroup(
            configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
