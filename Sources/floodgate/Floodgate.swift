import ArgumentParser
import FloodgateCore

/// The `floodgate` command: run the shop, or work on its data.
@main
struct Floodgate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floodgate",
        abstract: "A shop server that holds on its busiest day.",
        version: FloodgateVersion.current,
        subcommands: [
            ServeCommand.self, WorkerCommand.self, MigrateCommand.self, JobsCommand.self, TasksCommand.self,
            CashierSimCommand.self, BenchDrainCommand.self, StaffCommand.self, AuditCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}
