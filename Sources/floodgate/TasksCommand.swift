import ArgumentParser
import FloodgateApp
import FloodgateCore
import FloodgateIntegrations
import FloodgateJobs
import FloodgateStore
import Foundation
import Logging

/// `floodgate tasks`: the scheduled tasks, their run log, and the levers an operator needs at night.
struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Scheduled tasks: list, run log, pause, resume, run now, change schedule or budget.",
        subcommands: [List.self, Runs.self, Pause.self, Resume.self, RunNow.self, Set.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every task with its schedule, budget, state and last run.")
        @OptionGroup var dataOptions: DataOptions
        @Flag(name: .long, help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let tasks = try await TasksCommand.withStore(self.dataOptions) { try await $0.all() }
            if self.json { return try JobsCommand.printJSON(tasks) }
            TasksCommand.table(
                [
                    "task", "schedule (UTC)", "timeout", "max queries", "state", "breaches", "last run", "outcome",
                    "queries",
                ],
                tasks.map { task in
                    [
                        task.name, task.schedule, "\(task.timeoutMs) ms", "\(task.maxQueries)", task.status,
                        "\(task.breaches)",
                        task.lastRun.map { TasksCommand.time($0.startedAt) } ?? "never", task.lastRun?.outcome ?? "",
                        task.lastRun.map { "\($0.queries)" } ?? "",
                    ]
                }
            )
            for task in tasks where task.pausedReason != nil { print("\n\(task.name): \(task.pausedReason!)") }
        }
    }

    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The run log, newest first.")
        @OptionGroup var dataOptions: DataOptions
        @Option(name: .long, help: "Only this task's runs.") var task: String?
        @Option(name: .long, help: "Show at most this many.") var limit = 30
        @Flag(name: .long, help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let runs = try await TasksCommand.withStore(self.dataOptions) {
                try await $0.runs(task: self.task, limit: self.limit)
            }
            if self.json { return try JobsCommand.printJSON(runs) }
            TasksCommand.table(
                ["run", "task", "trigger", "started", "duration", "outcome", "queries", "worker", "error"],
                runs.map { run in
                    [
                        "\(run.id)", run.task, run.trigger, TasksCommand.time(run.startedAt),
                        run.durationMs.map { "\($0) ms" } ?? "", run.outcome,
                        "\(run.queries)", run.worker, run.error ?? "",
                    ]
                }
            )
            // Beside a task's runs, who changed the task and when: a schedule a contractor moved shows here.
            guard let task = self.task else { return }
            let changes = try await JobsCommand.withQueue(self.dataOptions) { _, database in
                try await SQLAuditLog(database: database).entries(
                    AuditFilter(objectType: "task", objectID: task, limit: self.limit))
            }
            guard !changes.isEmpty else { return }
            print("\nChanges to \(task), newest first:")
            TasksCommand.table(
                ["entry", "when", "who", "action", "what"],
                changes.map { record in
                    [
                        "\(record.id)", TasksCommand.time(record.at),
                        record.actor.name + (record.actor.role.isEmpty ? "" : " (\(record.actor.role))"),
                        record.entry.action,
                        record.entry.details.sorted { $0.key < $1.key }.map { key, change in
                            "\(key): \(change.before ?? "") → \(change.after ?? "")"
                        }.joined(separator: "; "),
                    ]
                }
            )
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a task from running on its schedule until resumed.")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "Task name (see `floodgate tasks`).") var name: String
        @Option(name: .long, help: "Why, for whoever looks next.") var reason = "Paused by an operator."

        func run() async throws {
            try await TasksCommand.change(self.dataOptions, self.name, done: "Task \(self.name) is paused.") {
                try await $0.pause(self.name, reason: self.reason, by: .operatorOnThisMachine)
            }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a paused or quarantined task run again (clears its breach count).")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "Task name.") var name: String

        func run() async throws {
            try await TasksCommand.change(
                self.dataOptions, self.name, done: "Task \(self.name) runs on its schedule again."
            ) { try await $0.resume(self.name, by: .operatorOnThisMachine) }
        }
    }

    struct RunNow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-now", abstract: "Ask a worker to run a task once, now (within its budget).")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "Task name.") var name: String

        func run() async throws {
            try await TasksCommand.change(
                self.dataOptions, self.name, done: "Task \(self.name) will run within a second on a worker."
            ) {
                try await $0.requestRun(self.name, by: .operatorOnThisMachine)
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a task's schedule, budget or enabled flag.")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "Task name.") var name: String
        @Option(name: .long, help: "Cron expression in UTC, 5 fields or 6 with seconds first.") var schedule: String?
        @Option(name: .long, help: "Wall-time limit of a run, in milliseconds.") var timeoutMs: Int64?
        @Option(name: .long, help: "Most database queries a run may make.") var maxQueries: Int64?
        @Option(name: .long, help: "true or false.") var enabled: Bool?

        func validate() throws {
            if let schedule { do { _ = try CronSchedule(schedule) } catch { throw ValidationError(error.description) } }
            if let timeoutMs, timeoutMs < 1 { throw ValidationError("--timeout-ms must be at least 1.") }
            if let maxQueries, maxQueries < 1 { throw ValidationError("--max-queries must be at least 1.") }
        }

        func run() async throws {
            try await TasksCommand.change(self.dataOptions, self.name, done: "Task \(self.name) is changed.") {
                try await $0.configure(
                    self.name, schedule: self.schedule, timeoutMs: self.timeoutMs, maxQueries: self.maxQueries,
                    enabled: self.enabled, by: .operatorOnThisMachine)
            }
        }
    }

    /// Opens the database with the tasks this configuration runs registered, so a fresh shop lists them too.
    static func withStore<T: Sendable>(
        _ options: DataOptions, _ body: @escaping @Sendable (any TaskRepository) async throws -> T
    ) async throws -> T {
        try await JobsCommand.withQueue(options) { _, database in
            let config = try AppSettings(reader: try await options.reader())
            let store = SQLTaskRepository(database: database)
            let tasks = BuiltinTasks.all(
                database: database, cashier: config.cashier.map { CashierClient(settings: $0) },
                runaway: config.worker.runawayTask
            )
            try await store.register(tasks.map(\.definition))
            return try await body(store)
        }
    }

    static func change(
        _ options: DataOptions, _ name: String, done: String,
        _ body: @escaping @Sendable (any TaskRepository) async throws -> Bool
    ) async throws {
        guard try await Self.withStore(options, body) else {
            throw ValidationError("There is no task '\(name)'; see `floodgate tasks`.")
        }
        print(done)
    }

    static func time(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1_000))
    }

    /// A plain table, columns as wide as their widest cell.
    static func table(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        if rows.isEmpty { print("(none)") }
    }
}
