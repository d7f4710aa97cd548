import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Audit log: a hash chain written with each change, append-only, every tampering found")
struct AuditChainTests {
    static let owner = Actor(kind: .session, staffID: 1, name: "Olga", role: "owner", address: "192.0.2.1")

    /// Five entries, each in its own transaction, as five changes would write them.
    static func appendFive(_ database: Database) async throws {
        for index in 1...5 {
            try await database.transaction { db in
                try await AuditChain.append(
                    AuditEntry(
                        "catalog.update", object: "product", id: String(index), storeID: 1,
                        details: ["price": AuditChange(before: "1000 RUB", after: "\(1000 + index) RUB")]),
                    by: Self.owner, on: db)
            }
        }
    }

    @Test(
        "Entries chain in order; one whose change rolls back is not written, and the head does not move",
        arguments: TestEngine.available)
    func chainsWithItsTransaction(engine: TestEngine) async throws {
        try await engine.withQueue { database, _ in
            try await Self.appendFive(database)
            struct ChangedMind: Error {}
            await #expect(throws: ChangedMind.self) {
                try await database.transaction { db in
                    try await AuditChain.append(
                        AuditEntry("catalog.update", object: "product", id: "9"), by: Self.owner, on: db)
                    throw ChangedMind()
                }
            }
            let log = SQLAuditLog(database: database)
            guard case .intact(let entries, let head, let hash) = try await log.verify() else {
                Issue.record("the chain of five is not intact")
                return
            }
            #expect(entries == 5 && head == 5)
            let newest = try await log.entries(AuditFilter(limit: 10))
            #expect(newest.map(\.id) == [5, 4, 3, 2, 1])
            #expect(newest.first?.hash == hash)
            #expect(newest.first?.entry.details["price"] == AuditChange(before: "1000 RUB", after: "1005 RUB"))
            #expect(newest.last?.previousHash == AuditChain.genesis)
            #expect(try await log.entries(AuditFilter(objectType: "product", objectID: "3")).map(\.id) == [3])
            #expect(try await log.entries(AuditFilter(action: "catalog")).count == 5, "a family matches its actions")
        }
    }

    @Test("Forty changes at once form one chain: none forks it, none is lost", arguments: TestEngine.available)
    func concurrentAppends(engine: TestEngine) async throws {
        try await engine.withQueue { database, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask { () async throws -> Void in
                        _ = try await database.transaction { db in
                            try await AuditChain.append(
                                AuditEntry("task.pause", object: "task", id: "t\(index)"), by: Self.owner, on: db)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let verdict = try await SQLAuditLog(database: database).verify()
            #expect(
                verdict == .intact(entries: 40, head: 40, hash: try await SQLAuditLog(database: database).head().hash))
        }
    }

    @Test("The table refuses UPDATE and DELETE, on both engines", arguments: TestEngine.available)
    func appendOnly(engine: TestEngine) async throws {
        try await engine.withQueue { database, _ in
            try await Self.appendFive(database)
            await #expect(throws: (any Error).self) {
                try await database.execute("UPDATE audit_log SET actor_name = 'nobody' WHERE id = 2")
            }
            await #expect(throws: (any Error).self) { try await database.execute("DELETE FROM audit_log WHERE id = 5") }
            if engine == .postgres {
                await #expect(throws: (any Error).self) { try await database.execute("TRUNCATE audit_log") }
            }
            #expect(
                try await database.strings("SELECT actor_name FROM audit_log ORDER BY id")
                    == Array(repeating: "Olga", count: 5))
        }
    }

    /// What someone with the database's owner rights might do to the log, after dropping its triggers.
    enum Tampering: String, CaseIterable, Sendable {
        case alter, delete, reorder, truncateTail, rewriteWholeChain
    }

    @Test(
        "Altering, deleting, reordering or truncating entries is found at the first broken entry; a rewrite of the whole chain against a recorded head",
        arguments: TestEngine.available, Tampering.allCases)
    func tamperingIsFound(engine: TestEngine, tampering: Tampering) async throws {
        try await engine.withQueue { database, _ in
            try await Self.appendFive(database)
            let log = SQLAuditLog(database: database)
            let recorded = try await log.head()
            if engine == .postgres {
                try await database.execute("DROP TRIGGER audit_log_append_only ON audit_log")
            } else {
                try await database.execute("DROP TRIGGER audit_log_no_update")
                try await database.execute("DROP TRIGGER audit_log_no_delete")
            }
            let expected: Int64
            switch tampering {
            case .alter:
                try await database.execute(
                    #"UPDATE audit_log SET details = '{"price":{"after":"1 RUB","before":"1000 RUB"}}' WHERE id = 3"#)
                expected = 3
            case .delete:
                try await database.execute("DELETE FROM audit_log WHERE id = 3")
                expected = 3
            case .reorder:
                try await database.execute("UPDATE audit_log SET id = id + 100 WHERE id IN (2, 3)")
                try await database.execute("UPDATE audit_log SET id = 3 WHERE id = 102")
                try await database.execute("UPDATE audit_log SET id = 2 WHERE id = 103")
                expected = 2
            case .truncateTail:
                try await database.execute("DELETE FROM audit_log WHERE id >= 4")
                expected = 4
            case .rewriteWholeChain:
                // Entry 3 changed, and every hash after it and the head recomputed: the chain holds together, and
                // only a head recorded elsewhere tells.
                try await database.execute("DELETE FROM audit_log WHERE id >= 3")
                try await database.execute(
                    "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE id = 2)")
                for index in 3...5 {
                    try await database.transaction { db in
                        try await AuditChain.append(
                            AuditEntry(
                                "catalog.update", object: "product", id: String(index), storeID: 1,
                                details: ["price": AuditChange(before: "1000 RUB", after: "1 RUB")]),
                            by: Self.owner, on: db)
                    }
                }
                guard case .intact = try await log.verify() else {
                    Issue.record("a consistent rewrite verifies on its own; only the recorded head can tell")
                    return
                }
                expected = 5
            }
            let verdict = try await log.verify(expecting: recorded)
            guard case .broken(let at, let reason) = verdict else {
                Issue.record("\(tampering) was not found: \(verdict)")
                return
            }
            #expect(at == expected, "\(tampering): \(reason)")
        }
    }
}

extension AuditChainTests {
    @Test(
        "Pruning leaves a checkpoint signed with the audit key: the rest verifies from it; a forged one, or none, does not",
        arguments: TestEngine.available)
    func pruning(engine: TestEngine) async throws {
        try await engine.withScratch { directory, url in
            try await Database.withOpened(url, logger: .init(label: "test")) { database in
                try await Migrator(database: database).migrate(logger: .init(label: "test"))
                for index in 1...5 {
                    try await database.transaction { db in
                        try await AuditChain.append(
                            AuditEntry("task.pause", object: "task", id: "t\(index)"), by: Self.owner, on: db,
                            at: index <= 3 ? 1_000 : WallClock.nowMillis)
                    }
                }
                // Without a checkpoint, no entry can be deleted (the triggers).
                await #expect(throws: (any Error).self) {
                    try await database.execute("DELETE FROM audit_log WHERE id <= 3")
                }
                let keyPath = directory.appendingPathComponent("audit.key").path
                let log = SQLAuditLog(database: database, keyPath: keyPath)
                #expect(try await log.prune(before: 10_000, by: .commandLine(user: "root")) == 3)
                let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
                #expect(mode == 0o600, "the key is the owner's alone")
                #expect(try await database.scalar("SELECT MIN(id) FROM audit_log") == 4)
                guard case .intact(let entries, let head, _) = try await log.verify() else {
                    Issue.record("the pruned chain does not verify from its checkpoint")
                    return
                }
                #expect(entries == 3 && head == 6, "two left and the pruning's own entry")
                // Without the key the checkpoint cannot be trusted, so the log is not called intact.
                guard case .broken(at: 3, _) = try await SQLAuditLog(database: database).verify() else {
                    Issue.record("a checkpoint was trusted without its key")
                    return
                }
                // A checkpoint someone wrote without the key, to make a deletion look like a pruning.
                try await database.execute(
                    "INSERT INTO audit_checkpoints (through_id, hash, at, signature) VALUES (4, (SELECT hash FROM audit_log WHERE id = 4), 0, 'forged')"
                )
                try await database.execute("DELETE FROM audit_log WHERE id = 4")
                guard case .broken(at: 4, let reason) = try await log.verify() else {
                    Issue.record("a forged checkpoint hid a deletion")
                    return
                }
                #expect(reason.contains("signature"))
            }
        }
    }
}
