import ArgumentParser
import FloodgateApp
import FloodgateCore
import FloodgateStore
import Foundation
import Logging

/// `floodgate audit`: check the audit log's chain, and read it.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit log: verify its chain, or print it.",
        subcommands: [Verify.self, Log.self, Prune.self]
    )

    /// `floodgate audit verify [--expect SEQ:HASH]`: exit 0 when intact, 1 naming the first broken entry.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the chain: exit 0 when every entry is in place, 1 naming the first that is not.")
        @OptionGroup var dataOptions: DataOptions
        @Option(
            help:
                "A head seen before (SEQ:HASH, as the shop logs it): the log must still hold that entry with that hash."
        )
        var expect: String?

        func run() async throws {
            let expected = try self.expect.map(Self.parse)
            let verdict = try await AuditCommand.withLog(self.dataOptions) { log in
                try await log.verify(expecting: expected)
            }
            switch verdict {
            case .intact(let entries, let head, let hash):
                print("The audit log is intact: \(entries) entries checked, head \(head):\(hash).")
            case .broken(let id, let reason):
                print("The audit log is BROKEN at entry \(id): \(reason).")
                throw ExitCode(1)
            }
        }

        static func parse(_ text: String) throws -> (seq: Int64, hash: String) {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let seq = Int64(parts[0]), parts[1].count == 64 else {
                throw ValidationError("--expect takes SEQ:HASH, e.g. 1042:3f5a… (64 hex digits).")
            }
            return (seq, String(parts[1]).lowercased())
        }
    }

    /// `floodgate audit log [--json] [--store S] [--action A] [--object TYPE:ID] [--limit N]`
    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the audit log, newest first.")
        @OptionGroup var dataOptions: DataOptions
        @Flag(help: "One JSON object per line.") var json = false
        @Option(help: "Only this store's entries (its short name).") var store: String?
        @Option(help: "Only this action, or its family (e.g. catalog).") var action: String?
        @Option(help: "Only this object, TYPE:ID (e.g. product:12, order:40).") var object: String?
        @Option(help: "At most this many entries.") var limit = 100

        func run() async throws {
            let records = try await AuditCommand.withLog(self.dataOptions) { log, stores in
                var filter = AuditFilter(action: self.action, limit: self.limit)
                if let slug = self.store {
                    guard let store = try await stores.find(slug: slug) else {
                        throw ValidationError("There is no store '\(slug)'.")
                    }
                    filter.storeID = store.id
                }
                if let object = self.object {
                    let parts = object.split(separator: ":", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw ValidationError("--object takes TYPE:ID, e.g. product:12.") }
                    (filter.objectType, filter.objectID) = (parts[0], parts[1])
                }
                return try await log.entries(filter)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for record in records {
                if self.json {
                    print(String(decoding: try encoder.encode(AuditLine(record)), as: UTF8.self))
                } else {
                    let changes = record.entry.details.sorted { $0.key < $1.key }.map { key, change in
                        change.before == nil
                            ? "\(key)=\(change.after ?? "")" : "\(key): \(change.before ?? "") → \(change.after ?? "")"
                    }
                    // Whatever a client typed is printed with its control characters escaped: no one fakes a line
                    // or moves an operator's cursor through their name.
                    print(
                        AuditLine.printable(
                            "\(record.id)\t\(AuditLine.time(record.at))\t\(record.actor.name)\t\(record.entry.action)\t"
                                + "\(record.entry.objectType):\(record.entry.objectID)\t\(changes.joined(separator: "; "))"
                        ))
                }
            }
        }
    }

    /// `floodgate audit prune --before DATE`: old entries go, a checkpoint signed with the audit key stays.
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Remove entries older than a date, keeping a checkpoint signed with the audit key (env FLOODGATE_AUDIT_KEY_FILE)."
        )
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Entries before this day (UTC) go, e.g. 2025-01-01.") var before: String

        func run() async throws {
            guard let day = CivilDate(self.before),
                let millis = AccessEnd.millis(day, hour: 0, minute: 0, in: .gmt)
            else { throw ValidationError("--before takes a date like 2025-01-01.") }
            let gone = try await AuditCommand.withLog(self.dataOptions) { log in
                try await log.prune(before: millis, by: .operatorOnThisMachine)
            }
            print("\(gone) entries before \(self.before) removed; a signed checkpoint keeps the chain verifiable.")
        }
    }

    static func withLog<T: Sendable>(
        _ options: DataOptions, _ body: (any AuditLog, any StoreRepository) async throws -> T
    ) async throws -> T {
        let config = try AppSettings(reader: try await options.reader())
        var logger = Logger(label: "floodgate.audit")
        logger.logLevel = .warning
        return try await Database.withOpened(config.store.database, logger: logger) { database in
            try await Migrator(database: database).migrate(logger: logger)
            return try await body(
                SQLAuditLog(database: database, keyPath: config.store.auditKeyPath),
                SQLStoreRepository(database: database))
        }
    }

    static func withLog<T: Sendable>(_ options: DataOptions, _ body: (any AuditLog) async throws -> T) async throws -> T
    {
        try await Self.withLog(options) { log, _ in try await body(log) }
    }
}

/// An entry as `audit log --json` prints it.
struct AuditLine: Encodable {
    let id: Int64
    let at: String
    let actor: [String: String]
    let store: Int?
    let action: String
    let object: String
    let details: [String: AuditChange]
    let hash: String

    init(_ record: AuditRecord) {
        self.id = record.id
        self.at = Self.time(record.at)
        var actor = ["kind": record.actor.kind.rawValue, "name": record.actor.name]
        if let id = record.actor.staffID { actor["id"] = String(id) }
        if !record.actor.role.isEmpty { actor["role"] = record.actor.role }
        if !record.actor.address.isEmpty { actor["address"] = record.actor.address }
        if !record.actor.userAgent.isEmpty { actor["userAgent"] = record.actor.userAgent }
        self.actor = actor
        self.store = record.entry.storeID
        self.action = record.entry.action
        self.object = "\(record.entry.objectType):\(record.entry.objectID)"
        self.details = record.entry.details
        self.hash = record.hash
    }

    /// The text with control characters (but the tabs between columns) as `\u{…}`.
    static func printable(_ text: String) -> String {
        String(
            text.unicodeScalars.flatMap { scalar -> [Character] in
                scalar.properties.generalCategory == .control && scalar != "\t"
                    ? Array(scalar.escaped(asASCII: true)) : [Character(scalar)]
            })
    }

    static func time(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: Double(millis) / 1_000).formatted(.iso8601)
    }
}
