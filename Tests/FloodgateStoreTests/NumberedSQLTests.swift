import FloodgateTestSupport
import Logging
import SQLKit
import Testing

@testable import FloodgateStore

/// Statements written once with `$1`, `$2` … run through SQLKit on both engines and as PostgreSQL prepared statements.
@Suite("SQL with numbered placeholders")
struct NumberedSQLTests {
    @Test("Placeholders take a larger statement's own placeholders; a dollar sign not followed by digits is text")
    func renumbered() {
        let sql = NumberedSQL("SELECT '$' || name || '$x' FROM t WHERE a = $1 AND b = $2 OR c = $1$")
        #expect(sql.text() == "SELECT '$' || name || '$x' FROM t WHERE a = $1 AND b = $2 OR c = $1$")
        #expect(
            sql.text(placeholders: ["$21", "$7"])
                == "SELECT '$' || name || '$x' FROM t WHERE a = $21 AND b = $7 OR c = $21$")
    }

    @Test(
        "Through SQLKit each placeholder is bound to its value, repeated and out of order",
        arguments: TestEngine.available)
    func bound(engine: TestEngine) async throws {
        try await engine.withScratch { _, url in
            try await Database.withOpened(url, logger: Logger(label: "test")) { database in
                let sql = NumberedSQL(
                    "SELECT CAST($2 AS TEXT) || '-' || CAST($1 AS TEXT) || '-' || CAST($2 AS TEXT) || '$' AS r")
                let row = try await database.read { db in try await db.raw("\(sql.binding(["a", "b"]))").first() }
                #expect(try row?.decode(column: "r", as: String.self) == "b-a-b$")
            }
        }
    }
}
