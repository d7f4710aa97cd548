import ArgumentParser
import Configuration
import FloodgateApp
import Hummingbird

/// `floodgate serve`: runs the shop.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Run the shop: web server, job worker and scheduled tasks. Migrates and loads demo shops on first start."
    )

    @Option(name: .long, help: "Address to listen on (env FLOODGATE_HOST, default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (env FLOODGATE_PORT, default 8080).")
    var port: Int?

    @Flag(name: .long, help: "Do not load the demo shops into an empty database (env FLOODGATE_DEMO=false).")
    var noDemo = false

    @Option(name: .long, help: "all (web server and job worker, the default), web, or worker (env FLOODGATE_ROLE).")
    var role: String?

    @OptionGroup var integrations: IntegrationOptions

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        var extra = self.integrations.values
        if let host { extra[["floodgate", "host"]] = .init(.string(host), isSecret: false) }
        if let port { extra[["floodgate", "port"]] = .init(.int(port), isSecret: false) }
        if self.noDemo { extra[["floodgate", "demo"]] = .init(.bool(false), isSecret: false) }
        if let role { extra[["floodgate", "role"]] = .init(.string(role), isSecret: false) }
        let settings = try AppSettings(reader: try await self.dataOptions.reader(adding: extra))
        if settings.role == .worker {
            try await WorkerCommand.runWorker(settings: settings)
        } else {
            try await buildApplication(settings: settings).runService()
        }
    }
}
