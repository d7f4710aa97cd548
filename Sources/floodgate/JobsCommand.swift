import ArgumentParser
import FloodgateApp
import FloodgateCore
import FloodgateStore
import Foundation
import Logging

/// `floodgate jobs`: what is waiting in the outbox, and what died.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Inspect the outbox: counts per state, dead jobs, and retrying a dead job.",
        subcommands: [Stats.self, Dead.self, Retry.self],
        defaultSubcommand: Stats.self
    )

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jobs per state and how many are due now.")
        @OptionGroup var dataOptions: DataOptions
        @Flag(name: .long, help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let stats = try await JobsCommand.withQueue(self.dataOptions) { queue, _ in try await queue.stats() }
            if self.json {
                try JobsCommand.printJSON(["counts": stats.counts, "due": ["now": stats.due]])
            } else {
                print("state      jobs")
                for state in JobState.allCases {
                    print(state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0), stats.count(state))
                }
                print("due now   ", stats.due)
            }
        }
    }

    struct Dead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Dead jobs with their last error, newest first.")
        @OptionGroup var dataOptions: DataOptions
        @Flag(name: .long, help: "Print JSON instead of a table.") var json = false
        @Option(name: .long, help: "Show at most this many.") var limit = 50

        func run() async throws {
            let dead = try await JobsCommand.withQueue(self.dataOptions) { queue, _ in
                try await queue.dead(limit: self.limit)
            }
            if self.json {
                try JobsCommand.printJSON(
                    dead.map {
                        ["id": "\($0.id)", "kind": $0.kind, "attempts": "\($0.attempts)", "error": $0.lastError ?? ""]
                    })
            } else if dead.isEmpty {
                print("No dead jobs.")
            } else {
                print("id       kind                      attempts  last error")
                for job in dead {
                    print(
                        "\(job.id)".padding(toLength: 8, withPad: " ", startingAt: 0),
                        job.kind.padding(toLength: 25, withPad: " ", startingAt: 0),
                        "\(job.attempts)".padding(toLength: 9, withPad: " ", startingAt: 0),
                        job.lastError ?? ""
                    )
                }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a dead job a fresh set of attempts.")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The dead job's id (see `floodgate jobs dead`).") var id: Int

        func run() async throws {
            let retried = try await JobsCommand.withQueue(self.dataOptions) { queue, _ in
                try await queue.retryDead(id: self.id, by: .operatorOnThisMachine)
            }
            guard retried else { throw ValidationError("There is no dead job \(self.id).") }
            print("Job \(self.id) is queued again.")
        }
    }

    static func withQueue<T: Sendable>(
        _ options: DataOptions, _ body: (any JobQueue, Database) async throws -> T
    ) async throws -> T {
        let config = try AppSettings(reader: try await options.reader())
        var logger = Logger(label: "floodgate.jobs")
        logger.logLevel = .warning
        return try await Database.withOpened(config.store.database, logger: logger) { database in
            try await Migrator(database: database).migrate(logger: logger)
            return try await body(SQLJobQueue(database: database), database)
        }
    }

    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
