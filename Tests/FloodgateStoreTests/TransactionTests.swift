import FloodgateStore
import FloodgateTestSupport
import Foundation
import Logging
import SQLKit
import Testing

@Suite("Transactions")
struct TransactionTests {
    struct Refused: Error, Equatable {
        let index: Int
    }

    @Test(
        "Concurrent transactions commit or roll back each on its own, also when grouped into one commit",
        arguments: TestEngine.available)
    func concurrentTransactionsAreIndependent(engine: TestEngine) async throws {
        try await engine.withScratch { _, url in try await Self.runSixty(on: url) }
    }

    private static func runSixty(on url: DatabaseURL) async throws {
        let database = try await Database.open(url, logger: Logger(label: "test"))
        try await database.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL)")

        let results = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            for index in 0..<60 {
                group.addTask {
                    do {
                        let value = try await database.transaction { db -> Int in
                            try await db.insert(into: "notes").columns("id", "body").values(
                                SQLBind(index), SQLBind("note \(index)")
                            ).run()
                            // Every third one changes its mind after writing: its row must not survive.
                            if index % 3 == 0 { throw Refused(index: index) }
                            // Every fifth (from the second) breaks the primary key: the database refuses, and its
                            // first row must not survive either.
                            if index % 5 == 1 {
                                try await db.insert(into: "notes").columns("id", "body").values(
                                    SQLBind(index), SQLBind("again")
                                ).run()
                            }
                            return index * 10
                        }
                        return (index, .success(value))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }

        for (index, result) in results {
            switch result {
            case .success(let value):
                #expect(index % 3 != 0 && index % 5 != 1)
                #expect(value == index * 10, "each caller gets its own result")
            case .failure(let error) where index % 3 == 0:
                #expect(error as? Refused == Refused(index: index), "each caller gets its own error")
            case .failure(let error):
                #expect(index % 5 == 1, "\(index) failed: \(String(reflecting: error))")
                #expect(
                    String(reflecting: error).lowercased().contains("unique") || "\(error)".contains("23505"),
                    "\(String(reflecting: error))")
            }
        }
        let counts: Result<(Int, Int), any Error>
        do {
            counts = .success(
                (
                    try await database.scalar("SELECT COUNT(*) FROM notes"),
                    try await database.scalar("SELECT COUNT(*) FROM notes WHERE id % 3 = 0")
                ))
        } catch {
            counts = .failure(error)
        }
        await database.close()
        let (stored, refusedStored) = try counts.get()
        #expect(stored == (0..<60).filter { $0 % 3 != 0 && $0 % 5 != 1 }.count)
        #expect(refusedStored == 0)
    }
}
