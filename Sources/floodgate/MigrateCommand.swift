import ArgumentParser
import FloodgateApp
import FloodgateStore
import Logging

/// `floodgate migrate`: brings the database schema up to date and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations and exit (serve also does this on start)."
    )

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let config = try AppSettings(reader: try await self.dataOptions.reader())
        var logger = Logger(label: "floodgate.migrate")
        logger.logLevel = config.logLevel
        try await Database.withOpened(config.store.database, logger: logger) { database in
            let applied = try await Migrator(database: database).migrate(logger: logger)
            let version = try await Migrator(database: database).currentVersion()
            print(
                applied.isEmpty
                    ? "Schema is up to date at version \(version) (\(config.store.database))."
                    : "Applied migrations \(applied.map(String.init).joined(separator: ", ")); schema is at version \(version)."
            )
        }
    }
}
