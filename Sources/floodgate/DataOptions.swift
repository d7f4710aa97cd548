import ArgumentParser
import Configuration
import FloodgateApp

/// Options every command that touches the shop's data shares: where the data lives.
///
/// Each is also read from the environment (`FLOODGATE_DATA`, `FLOODGATE_DATABASE_URL`, …) and from a `.env`
/// file in the working directory; a flag wins over the environment, the environment over `.env`.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Folder for the SQLite file and uploaded photos (env FLOODGATE_DATA, default ./var).")
    var data: String?

    @Option(name: .long, help: "sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB (env FLOODGATE_DATABASE_URL).")
    var database: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical (env FLOODGATE_LOG_LEVEL).")
    var logLevel: String?

    /// Values given on the command line, under the same keys the environment uses.
    var values: [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let data { values[["floodgate", "data"]] = .init(.string(data), isSecret: false) }
        if let database { values[["floodgate", "database", "url"]] = .init(.string(database), isSecret: true) }
        if let logLevel { values[["floodgate", "log", "level"]] = .init(.string(logLevel), isSecret: false) }
        return values
    }

    /// Command line > environment > `.env` > defaults.
    func reader(adding extra: [AbsoluteConfigKey: ConfigValue] = [:]) async throws -> ConfigReader {
        ConfigReader(providers: [
            InMemoryProvider(name: "command line", values: self.values.merging(extra) { $1 }),
            EnvironmentVariablesProvider(secretsSpecifier: .specific(["FLOODGATE_DATABASE_URL"])),
            try await EnvironmentVariablesProvider(environmentFilePath: ".env", allowMissing: true),
        ])
    }
}
