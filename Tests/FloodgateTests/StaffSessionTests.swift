import Crypto
import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

/// Issue 24: sessions end when idle, at their absolute end, when access ends by itself, and at once (on every
/// instance: the session is read from the database on each request) when an account is disabled or its access
/// revoked.
@Suite("Staff sessions: idle and absolute ends, access that ends by itself, disabling and revoking")
struct StaffSessionTests {
    static func isSignedOut(_ answer: TestResponse) -> Bool {
        answer.status == 303 && (answer.headers["location"].first ?? "").hasPrefix("/admin/login")
    }

    /// Time passes here by moving a session's or grant's moments back in the database, not by sleeping: the
    /// shop compares them with the clock on every request, and a machine running the whole suite stalls requests
    /// by seconds.
    static func age(_ server: TestServer, _ browser: StaffBrowser, _ assignment: String) async throws {
        let secret = String(browser.cookie.dropFirst("fg_staff=".count))
        let digest = HexDigits.encode(SHA256.hash(data: Data(secret.utf8)))
        try await server.database.execute("UPDATE staff_sessions SET \(assignment) WHERE token_hash = '\(digest)'")
    }

    static func seen(_ server: TestServer, _ browser: StaffBrowser) async throws -> Int64 {
        let secret = String(browser.cookie.dropFirst("fg_staff=".count))
        let digest = HexDigits.encode(SHA256.hash(data: Data(secret.utf8)))
        return Int64(
            try await server.database.scalar("SELECT last_seen_at FROM staff_sessions WHERE token_hash = '\(digest)'"))
    }

    @Test(
        "A session ends after its idle time, a busy one is kept alive, and every one ends at its absolute end",
        arguments: TestEngine.available)
    func idleAndAbsoluteEnds(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let policy = server.config.http.staffSessions
            try await server.addStaff("sasha@shop.example", role: .florist)
            let idle = try await server.signIn("sasha@shop.example")
            let busy = try await server.signIn("sasha@shop.example")
            let ended = try await server.signIn("sasha@shop.example")
            let now = WallClock.nowMillis
            // Idle for a moment longer than allowed: ended.
            try await Self.age(server, idle, "last_seen_at = \(now - policy.idle - 1_000)")
            #expect(Self.isSignedOut(try await idle.get("/admin/petals/orders")), "the idle one has ended")
            // Nearly idle, and used now: it goes on, and its last use is moved to now.
            try await Self.age(server, busy, "last_seen_at = \(now - policy.idle + 5_000)")
            #expect(try await busy.get("/admin/petals/orders").status == 200)
            #expect(try await Self.seen(server, busy) >= now, "using it kept it alive")
            // However busy, past its absolute end it is over.
            try await Self.age(server, ended, "expires_at = \(now - 1)")
            #expect(Self.isSignedOut(try await ended.get("/admin/petals/orders")))
            let sessions = try await SQLStaffRepository(database: server.database).sessions(
                staffID: nil, policy: policy)
            #expect(sessions.count == 1, "ended sessions are not listed")
        }
    }

    @Test(
        "Access given until a moment ends then: the session stops and sign-in is refused, and recorded",
        arguments: TestEngine.available)
    func accessEndsByItself(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let id = try await server.addStaff(
                "kostya@contractor.example", role: .contractor, areas: [.catalog],
                until: WallClock.nowMillis + 3_600_000)
            let contractor = try await server.signIn("kostya@contractor.example")
            #expect(try await contractor.get("/admin/petals/products").status == 200)
            // The end comes (moved to a moment ago rather than waited for).
            try await server.database.execute(
                "UPDATE staff_grants SET until_at = \(WallClock.nowMillis - 1) WHERE staff_id = \(id)")
            #expect(Self.isSignedOut(try await contractor.get("/admin/petals/products")))
            let form = try await server.get("/admin/login")
            let again = try await server.postForm(
                "/admin/login",
                [
                    ("csrf", TestServer.csrf(in: form.body)), ("email", "kostya@contractor.example"),
                    ("password", "correct horse battery"),
                ],
                cookie: "fg_login=\(form.cookies["fg_login"] ?? "")")
            #expect(again.status == 403)
            #expect(again.body.contains("Your access to the back-office has ended"))
            #expect(again.cookies["fg_staff"] == nil)
            #expect(
                try await server.database.strings(
                    "SELECT details FROM audit_log WHERE action = 'session.sign-in-failed'") == [
                        #"{"reason":{"after":"no live access"}}"#
                    ])
        }
    }

    @Test(
        "Disabling an account or revoking its store ends its sessions at once; enabling lets it sign in again",
        arguments: TestEngine.available)
    func disableAndRevoke(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let staff = SQLStaffRepository(database: server.database)
            let id = try await server.addStaff("sasha@shop.example", role: .florist)
            let first = try await server.signIn("sasha@shop.example")
            let second = try await server.signIn("sasha@shop.example")
            #expect(try await staff.sessions(staffID: id, policy: SessionPolicy()).count == 2)
            try await staff.setDisabled(staffID: id, true, by: .commandLine(user: "root"))
            #expect(Self.isSignedOut(try await first.get("/admin/petals/orders")))
            #expect(Self.isSignedOut(try await second.get("/admin/petals/orders")))
            await #expect(throws: TestSetupError.self) { _ = try await server.signIn("sasha@shop.example") }

            try await staff.setDisabled(staffID: id, false, by: .commandLine(user: "root"))
            let back = try await server.signIn("sasha@shop.example")
            #expect(try await back.get("/admin/petals/orders").status == 200)
            let store = try #require(try await SQLStoreRepository(database: server.database).find(slug: "petals"))
            try await staff.revoke(staffID: id, storeID: store.id, by: .commandLine(user: "root"))
            #expect(Self.isSignedOut(try await back.get("/admin/petals/orders")))

            let actions = try await server.database.strings(
                "SELECT action FROM audit_log WHERE object_type = 'staff' ORDER BY id")
            #expect(
                actions == [
                    "staff.add", "staff.grant", "session.sign-in", "session.sign-in", "staff.disable", "session.end",
                    "session.sign-in-failed", "staff.enable", "session.sign-in", "staff.revoke", "session.end",
                ])
            #expect(
                try await server.database.strings(
                    "SELECT DISTINCT actor_name FROM audit_log WHERE action = 'staff.disable'")
                    == ["cli:root"])
        }
    }

    @Test(
        "A back-office change is recorded with who, their role, from where, and before → after; the chain verifies",
        arguments: TestEngine.available)
    func changesAreRecorded(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("mila@shop.example", role: .manager)
            let manager = try await server.signIn("mila@shop.example")
            let product = try #require(
                try await SQLCatalogRepository(database: server.database).products(storeID: 1).first)
            let edit = try await manager.get("/admin/petals/products/\(product.id)")
            #expect(edit.status == 200)
            let fields = ProductForm.fields(of: edit.body).map { ($0.0, $0.0 == "price" ? "4321" : $0.1) }
            let saved = try await manager.post(
                "/admin/petals/products/\(product.id)", fields, headers: [("User-Agent", "Mila's tablet")])
            #expect(saved.status == 303, "\(saved.body.prefix(300))")
            let records = try await SQLAuditLog(database: server.database).entries(
                AuditFilter(objectType: "product", objectID: String(product.id)))
            let change = try #require(records.first)
            #expect(change.entry.action == "catalog.update")
            #expect(
                change.actor.name == "Manager mil" && change.actor.role == "manager" && change.actor.kind == .session)
            #expect(change.actor.address == "127.0.0.1" && change.actor.userAgent == "Mila's tablet")
            #expect(
                change.entry.details["price"]
                    == AuditChange(
                        before: "\(product.price.minorUnits) \(product.price.currency)",
                        after: "432100 \(product.price.currency)"))
            guard case .intact = try await SQLAuditLog(database: server.database).verify() else {
                Issue.record("the chain does not verify")
                return
            }
        }
    }
}

/// The product edit form's fields as a browser would send them back.
enum ProductForm {
    static func fields(of html: String) -> [(String, String)] {
        var fields: [(String, String)] = []
        var rest = Substring(html)
        while let input = rest.range(of: "<input") ?? rest.range(of: "<textarea") {
            let tagEnd = rest[input.upperBound...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[input.lowerBound..<tagEnd]
            if let name = Self.attribute("name", in: tag), name != "csrf", !tag.contains("type=\"file\"") {
                if tag.hasPrefix("<textarea") {
                    let body = rest[rest.index(after: tagEnd)...]
                    let end = body.range(of: "</textarea>")?.lowerBound ?? body.endIndex
                    fields.append((name, String(body[..<end])))
                } else if !tag.contains("type=\"checkbox\"") || tag.contains("checked") {
                    fields.append((name, Self.attribute("value", in: tag) ?? "on"))
                }
            }
            rest = rest[tagEnd...]
        }
        return fields
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        let value = tag[start.upperBound...].prefix { $0 != "\"" }
        return String(value).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
    }
}
