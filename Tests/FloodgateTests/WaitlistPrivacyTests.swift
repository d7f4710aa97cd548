import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

@Suite("Waiting-list places cannot be taken over: the link goes only to the address, by email")
struct WaitlistPrivacyTests {
    static func joinAPI(
        _ server: TestServer, tour: Int, email: String, name: String = "Anna", phone: String = "+7 900 100-00-10"
    ) async throws
        -> TestResponse
    {
        let body = try JSONSerialization.data(withJSONObject: ["name": name, "email": email, "phone": phone])
        return try await server.postJSON(
            "/api/v1/stores/petals/delivery-windows/\(tour)/waitlist", String(decoding: body, as: UTF8.self))
    }

    static func joinForm(
        _ server: TestServer, tour: Int, email: String, name: String = "Anna", phone: String = "+7 900 100-00-10"
    ) async throws
        -> TestResponse
    {
        try await server.postForm(
            "/s/petals/tours/\(tour)/waitlist", [("name", name), ("email", email), ("phone", phone)])
    }

    /// Polls `sql` (a count) for up to twenty seconds until it is `expected`.
    static func eventually(_ server: TestServer, _ sql: String, is expected: Int) async throws -> Bool {
        for _ in 0..<200 {
            if try await server.database.scalar(sql) == expected { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await server.database.scalar(sql) == expected
    }

    @Test(
        "Joining with an address already in line answers the API exactly as a new place, never with its token",
        arguments: TestEngine.available)
    func apiAnswersAlikeWithoutTheToken(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.role = .web }) { server in
            let (tour, _) = try await WaitlistTests.fullTour(server, capacity: 1)
            let first = try await Self.joinAPI(server, tour: tour, email: "anna@example.com")
            // Someone else types Anna's address (with spaces around it, as a form may send it).
            let second = try await Self.joinAPI(
                server, tour: tour, email: " anna@example.com ", name: "Mallory", phone: "+7 900 666-66-66")
            let newcomer = try await Self.joinAPI(server, tour: tour, email: "boris@example.com")

            #expect(
                first.status == 201 && second.status == 201 && newcomer.status == 201,
                "\(first.body) \(second.body) \(newcomer.body)")
            #expect(
                first.object.mapValues { "\($0)" } == second.object.mapValues { "\($0)" },
                "\(first.body) vs \(second.body)")
            #expect(first.header("content-type") == second.header("content-type"))
            #expect(Set(newcomer.object.keys) == Set(first.object.keys))
            #expect(first.object["email"] as? String == "anna@example.com")

            let line = try await SQLWaitlistRepository(database: server.database).entries(windowID: tour)
            #expect(
                line.map(\.email) == ["anna@example.com", "boris@example.com"],
                "one place for Anna, however often she is named")
            let anna = try #require(line.first)
            #expect(anna.name == "Anna" && anna.phone == "+7 900 100-00-10", "a second join does not change the place")
            for answer in [first, second, newcomer] {
                for token in line.map(\.token) {
                    #expect(!answer.body.contains(token), "a token in the answer: \(answer.body)")
                }
                #expect(
                    answer.object["token"] == nil && answer.object["url"] == nil && answer.object["position"] == nil)
            }
        }
    }

    @Test(
        "The storefront sends everyone who joins to the same page, which holds no link", arguments: TestEngine.available
    )
    func formAnswersAlikeWithoutTheLink(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.role = .web }) { server in
            let (tour, _) = try await WaitlistTests.fullTour(server, capacity: 1)
            let first = try await Self.joinForm(server, tour: tour, email: "anna@example.com")
            let second = try await Self.joinForm(server, tour: tour, email: "anna@example.com", name: "Mallory")
            let newcomer = try await Self.joinForm(server, tour: tour, email: "boris@example.com")
            let sent = "/s/petals/tours/\(tour)/waitlist/sent"
            for answer in [first, second, newcomer] {
                #expect(answer.status == 303, "\(answer.body)")
                #expect(answer.header("location") == sent)
            }
            #expect(first.body == second.body && first.body == newcomer.body)

            let tokens = try await SQLWaitlistRepository(database: server.database).entries(windowID: tour).map(\.token)
            #expect(tokens.count == 2)
            let page = try await server.get(sent, headers: [("User-Agent", "Mozilla/5.0")])
            #expect(page.status == 200)
            #expect(page.body.contains("Check your email"))
            #expect(page.body.contains("We have emailed the link to your place in line"))
            for token in tokens {
                #expect(
                    ![first, second, newcomer, page].contains {
                        $0.body.contains(token) || ($0.header("location") ?? "").contains(token)
                    })
            }

            // A mistake is still shown on the form, with the address as typed.
            let mistaken = try await Self.joinForm(
                server, tour: tour, email: "anna@example.com\r\nBcc: everyone@example.com")
            #expect(mistaken.status == 422)
            #expect(mistaken.body.contains("Enter an email address like name@example.com."))
        }
    }

    @Test(
        "Joining again emails the same place's link again, each a message of its own, at most once in five minutes",
        arguments: TestEngine.available
    )
    func linkIsEmailedAgain(engine: TestEngine) async throws {
        let smtp = try SMTPPeer()
        defer { smtp.stop() }
        try await smtp.waitUntilReady()
        try await TestServer.run(
            engine,
            configure: {
                $0.smtpURL = smtp.url
                $0.publicURL = "https://petals.example"
            }
        ) { server in
            let (tour, _) = try await WaitlistTests.fullTour(server, capacity: 1)
            #expect(try await smtp.waitForMessages(2).count == 2, "the order's two emails")

            #expect(try await Self.joinAPI(server, tour: tour, email: "vera@example.com").status == 201)
            let period = { WallClock.nowMillis / SQLWaitlistRepository.resendEvery }
            let before = period()
            #expect(
                try await Self.joinForm(server, tour: tour, email: "vera@example.com", name: "Mallory").status == 303)
            #expect(
                try await Self.joinAPI(server, tour: tour, email: "vera@example.com", name: "Mallory").status == 201)
            #expect(
                try await Self.joinAPI(server, tour: tour, email: "vera@example.com", name: "Mallory").status == 201)
            let after = period()

            let token = try #require(
                try await SQLWaitlistRepository(database: server.database).entries(windowID: tour).first?.token)
            let jobs = "SELECT COUNT(*) FROM jobs WHERE kind = 'email.waitlist-joined'"
            if before == after {
                // The first join's email and one more, however often the address is typed within the period.
                #expect(try await server.database.scalar(jobs) == 2)
            }
            let expected = try await server.database.scalar(jobs)
            #expect(try await Self.eventually(server, "\(jobs) AND state = 'done'", is: expected))
            let received = try await smtp.waitForMessages(2 + expected)
            let links = received.filter {
                MIMEText.decodedParts($0).contains("https://petals.example/s/petals/waitlist/\(token)")
            }
            #expect(links.count == expected, "every joined email carries Vera's own link")
            #expect(links.allSatisfy { $0.contains("To: vera@example.com") })
            let ids = Set(links.compactMap { $0.split(separator: "\n").first { $0.hasPrefix("Message-ID:") } })
            #expect(ids.count == links.count, "a mailbox drops a message whose Message-ID it has seen")
        }
    }
}
