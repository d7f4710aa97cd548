import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

@testable import FloodgateWeb

/// Issue 24: owners and managers sign in with a second factor; enrolment, codes, replays, recovery codes.
@Suite("Two-factor sign-in: enrolment by QR code, codes never taken twice, recovery codes once each")
struct TwoFactorTests {
    /// Signs in with the password only: the session cookie, and where the answer sends the browser.
    static func password(_ server: TestServer, _ email: String) async throws -> (cookie: String, location: String) {
        let form = try await server.get("/admin/login")
        let answer = try await server.postForm(
            "/admin/login",
            [("csrf", TestServer.csrf(in: form.body)), ("email", email), ("password", "correct horse battery")],
            cookie: "fg_login=\(form.cookies["fg_login"] ?? "")")
        return ("fg_staff=\(answer.cookies["fg_staff"] ?? "")", answer.header("location") ?? "")
    }

    static func code(_ server: TestServer, _ cookie: String, _ code: String) async throws -> TestResponse {
        let page = try await server.get("/admin/second-factor", headers: [("Cookie", cookie)])
        return try await server.postForm(
            "/admin/second-factor",
            [("csrf", TestServer.csrf(in: page.body)), ("code", code), ("next", "/admin/petals/")],
            cookie: cookie)
    }

    @Test(
        "An owner's password opens only the enrolment; the QR code's key and a first code open the back-office",
        arguments: TestEngine.available)
    func enrolment(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            let (cookie, location) = try await Self.password(server, "olga@shop.example")
            #expect(location.hasPrefix("/admin/second-factor"))
            // Nothing else opens: pages send it back to the step, posts are refused.
            let orders = try await server.get("/admin/petals/orders", headers: [("Cookie", cookie)])
            #expect(orders.status == 303 && orders.header("location")?.hasPrefix("/admin/second-factor") == true)
            #expect(try await server.postForm("/admin/petals/tours/generate", [], cookie: cookie).status == 401)

            let page = try await server.get("/admin/second-factor", headers: [("Cookie", cookie)])
            let secret = try #require(TestServer.testID("enrol-secret", in: page.body))
            #expect(page.body.contains("<svg") && page.body.contains("aria-label=\"QR code\""))
            // The key shown is the one the QR code carries (the QR code itself is read by zbarimg in the e2e test).
            let link = TOTP(secret: Base32.decode(secret) ?? []).link(issuer: "Floodgate", account: "olga@shop.example")
            #expect(page.body.contains(try QRCode(text: link).svg()))
            // The same key on a reload: the app that scanned it first keeps working.
            let again = try await server.get("/admin/second-factor", headers: [("Cookie", cookie)])
            #expect(TestServer.testID("enrol-secret", in: again.body) == secret)

            let wrong = try await Self.code(server, cookie, "000000")
            #expect(wrong.status == 401 && wrong.body.contains("That code is not right"))
            let now = Int64(Date().timeIntervalSince1970)
            let right = try await Self.code(server, cookie, TOTP(secret: Base32.decode(secret) ?? []).code(at: now))
            #expect(right.status == 200)
            let codes = right.body.components(separatedBy: "<li><code>").dropFirst()
            #expect(codes.count == 10)
            #expect(try await server.get("/admin/petals/orders", headers: [("Cookie", cookie)]).status == 200)
            let actions = try await server.database.strings(
                "SELECT action FROM audit_log WHERE object_type = 'staff' AND action LIKE 'session.%' OR action LIKE 'staff.second%' ORDER BY id"
            )
            #expect(
                actions == [
                    "session.password-accepted", "session.second-factor-failed", "staff.second-factor-enrol",
                    "session.sign-in",
                ])
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM staff WHERE totp_secret IS NOT NULL") == 1)
        }
    }

    @Test(
        "Later sign-ins need a code: never the same one twice, a recovery code only once; florists are not asked",
        arguments: TestEngine.available)
    func codesAndRecovery(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            let first = try await Self.password(server, "olga@shop.example")
            let page = try await server.get("/admin/second-factor", headers: [("Cookie", first.cookie)])
            let secret = try #require(TestServer.testID("enrol-secret", in: page.body))
            let totp = TOTP(secret: Base32.decode(secret) ?? [])
            let now = Int64(Date().timeIntervalSince1970)
            let enrolled = try await Self.code(server, first.cookie, totp.code(at: now))
            let recovery = enrolled.body.components(separatedBy: "<li><code>").dropFirst().map {
                String($0.prefix { $0 != "<" })
            }

            // The enrolment took this step's code: a second sign-in cannot use it again, here or anywhere.
            let second = try await Self.password(server, "olga@shop.example")
            #expect(second.location.hasPrefix("/admin/second-factor"))
            let replay = try await Self.code(server, second.cookie, totp.code(at: now))
            #expect(replay.status == 401)
            // The next step's code works (a step either side of now is accepted), once.
            let next = try await Self.code(server, second.cookie, totp.code(at: now + 30))
            #expect(next.status == 303)
            let third = try await Self.password(server, "olga@shop.example")
            #expect(try await Self.code(server, third.cookie, totp.code(at: now + 30)).status == 401)

            // A recovery code, typed with spaces and capitals, once.
            let spare = recovery[0].uppercased().replacingOccurrences(of: "-", with: " - ")
            #expect(try await Self.code(server, third.cookie, spare).status == 303)
            let fourth = try await Self.password(server, "olga@shop.example")
            #expect(try await Self.code(server, fourth.cookie, recovery[0]).status == 401)
            let other = try await Self.code(server, fourth.cookie, recovery[1])
            #expect(other.status == 303, "\(other.status) \(other.body.prefix(600))")

            // A florist signs in with the password alone; so does a manager where the store does not ask for more.
            try await server.addStaff("sasha@shop.example", role: .florist)
            #expect(try await Self.password(server, "sasha@shop.example").location == "/admin")
            try await SQLStaffRepository(database: server.database).requireSecondFactor(
                storeID: 1, false, by: .commandLine(user: "root"))
            #expect(
                try await server.database.strings("SELECT details FROM audit_log WHERE action = 'store.settings'") == [
                    #"{"second factor for owners and managers":{"after":"optional","before":"required"}}"#
                ])
            try await server.addStaff("mila@shop.example", role: .manager)
            #expect(try await Self.password(server, "mila@shop.example").location == "/admin")
        }
    }
}
