import ArgumentParser
import FloodgateApp
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
        var settings = try AppSettings(reader: try await self.dataOptions.reader(adding: self.integrations.values))
        settings.role = .worker
        try await Self.runWorker(settings: settings)
    }

    static func runWorker(settings: AppSettings) async throws {
        var logger = Logger(label: "floodgate")
        logger.logLevel = settings.logLevel
        let services = try await buildWorker(settings: settings)
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
        )
        try await group.run()
    }
}
