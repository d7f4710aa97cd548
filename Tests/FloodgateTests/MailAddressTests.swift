import FloodgateCore
import FloodgateIntegrations
import FloodgateJobs
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Logging
import Testing

@Suite("Mail addresses: refused before sending, and a refused recipient holds back nobody else's email")
struct MailAddressTests {
    static func message(from: String = "Petals <orders@petals.example>", to: String) -> MailMessage {
        MailMessage(from: from, to: [to], subject: "Your order", text: "Hello", html: "<p>Hello</p>")
    }

    /// Addresses (and senders) that would be a second SMTP command or header, or hide what they say.
    static let injected: [(from: String, to: String)] = [
        ("orders@petals.example", "anna@example.com\r\nRCPT TO:<everyone@example.com>"),
        ("orders@petals.example", "anna@example.com\nBcc: everyone@example.com"),
        ("orders@petals.example", "anna\u{0}@example.com"),
        ("orders@petals.example", "anna @example.com"),
        ("orders@petals.example", "anna\u{2028}@example.com"),
        ("orders@petals.example", "anna\u{202E}@example.com"),
        ("orders@petals.example", "Anna <anna@example.com>\r\nBcc: <everyone@example.com>"),
        ("orders@petals.example\r\nRCPT TO:<everyone@example.com>", "anna@example.com"),
        ("Petals\r\nBcc: everyone@example.com <orders@petals.example>", "anna@example.com"),
    ]

    @Test("The SMTP client refuses an address with a line break, a control or white space before it connects at all")
    func smtpRefusesBeforeConnecting() async throws {
        // Nothing listens on this port: a client that connected first would fail with a connection error instead.
        let port = try FreePort.find()
        let mailer = try SMTPMailer(url: "smtp://127.0.0.1:\(port)", timeout: .seconds(5))
        for (from, to) in Self.injected {
            do {
                try await mailer.send(Self.message(from: from, to: to), messageID: "test@floodgate")
                Issue.record("sent from \(from.debugDescription) to \(to.debugDescription)")
            } catch let error as MailError {
                guard case .invalidAddress = error else {
                    Issue.record("\(from.debugDescription) → \(to.debugDescription): \(error)")
                    continue
                }
                #expect(error.isPermanent)
                #expect(
                    !error.description.unicodeScalars.contains { $0 == "\r" || $0 == "\n" },
                    "the reason is one line: \(error)")
            }
        }
        // A good address does try to connect (and finds nobody there): the check refuses only what it should.
        do {
            try await mailer.send(Self.message(to: "anna@example.com"), messageID: "test@floodgate")
            Issue.record("nothing listens on port \(port)")
        } catch let error as MailError {
            if case .invalidAddress = error { Issue.record("a good address was refused: \(error)") }
        } catch {
            // The connection was refused: the client went as far as the network.
        }
    }

    @Test("The folder mailer refuses the same addresses and writes nothing")
    func folderRefusesToo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "floodgate-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let mailer = FolderMailer(folder: folder.path)
        for (from, to) in Self.injected {
            await #expect(throws: MailError.self) {
                try await mailer.send(Self.message(from: from, to: to), messageID: "bad@floodgate")
            }
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty)
        try await mailer.send(Self.message(to: "anna@example.com"), messageID: "good@floodgate")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["good_floodgate.eml"])
    }

    @Test("A 5xx to RCPT TO is a refused recipient, and the next message to a good address is delivered")
    func smtpRecipientRefused() async throws {
        let smtp = try SMTPPeer(refusing: ["gone@example.com"])
        defer { smtp.stop() }
        try await smtp.waitUntilReady()
        let mailer = try SMTPMailer(url: smtp.url)
        do {
            try await mailer.send(Self.message(to: "gone@example.com"), messageID: "gone@floodgate")
            Issue.record("the server refuses gone@example.com")
        } catch let error as MailError {
            guard case .recipientRefused(let address, let reply) = error else {
                Issue.record("not a refused recipient: \(error)")
                return
            }
            #expect(address == "gone@example.com")
            #expect(reply.hasPrefix("550"))
            #expect(error.isPermanent)
        }
        try await mailer.send(Self.message(to: "anna@example.com"), messageID: "anna@floodgate")
        let received = try await smtp.waitForMessages(1)
        #expect(received.count == 1)
        #expect(received.first?.contains("To: anna@example.com") == true)
    }

    /// Sends to an address the mail server refuses.
    struct RefusedMail: JobHandler {
        let kind = "test.refused-mail"
        var integration: String? { "mail" }
        func run(_ job: Job, logger: Logger) async throws {
            throw UndeliverableMail(
                reason: .recipientRefused(address: "gone@example.com", reply: "550 5.1.1 no such mailbox"))
        }
    }

    /// Refers to an order that is gone: permanent too, but retried as before.
    struct MissingOrder: JobHandler {
        let kind = "test.missing-order"
        var integration: String? { "mail" }
        func run(_ job: Job, logger: Logger) async throws { throw HandlerError.missing("order \(job.id)") }
    }

    @Test(
        "The worker buries an undeliverable email after one attempt and its breaker does not count it",
        arguments: TestEngine.available)
    func undeliverableIsDeadAtOnce(engine: TestEngine) async throws {
        try await engine.withQueue { _, queue in
            try await queue.enqueue(
                (0..<3).map { NewJob(kind: "test.refused-mail", dedupeKey: "refused-\($0)", maxAttempts: 5) })
            try await queue.enqueue([NewJob(kind: "test.missing-order", maxAttempts: 5)])
            // One failure in a row would open this breaker.
            let worker = Worker(
                queue: queue, handlers: [RefusedMail(), MissingOrder()],
                config: WorkerConfiguration(
                    name: "w", retry: RetryPolicy(base: .seconds(600), cap: .seconds(600)), breakerThreshold: 1),
                logger: Logger(label: "test-worker")
            )
            #expect(try await worker.runOnce() == 4)
            let dead = try await queue.dead(limit: 10)
            #expect(dead.map(\.kind) == Array(repeating: "test.refused-mail", count: 3))
            #expect(
                dead.allSatisfy { $0.attempts == 1 && $0.maxAttempts == 5 }, "dead after its first of five attempts")
            #expect(
                dead.allSatisfy {
                    $0.lastError
                        == "The mail server refused the recipient 'gone@example.com': 550 5.1.1 no such mailbox"
                })
            let stats = try await queue.stats()
            #expect(stats.count(.retrying) == 1, "a permanent failure that is not final is still retried")
            #expect(await worker.breakers["mail"]?.state() == "closed")
        }
    }

    @Test(
        "A refused recipient's job is dead at once with the server's reason, and does not open the mail breaker for everyone else",
        arguments: TestEngine.available
    )
    func refusedRecipientFailsOnlyItsJob(engine: TestEngine) async throws {
        let gone = ["gone1@example.com", "gone2@example.com", "gone3@example.com"]
        let smtp = try SMTPPeer(refusing: gone)
        defer { smtp.stop() }
        try await smtp.waitUntilReady()
        try await TestServer.run(
            engine,
            configure: {
                $0.smtpURL = smtp.url
                $0.publicURL = "https://petals.example"
                // Two failures in a row would open the breaker for ten minutes, and a failed attempt would wait as long:
                // mail still moving within seconds shows neither happened.
                $0.worker.breakerThreshold = 2
                $0.worker.breakerCooldown = .seconds(600)
                $0.worker.retryBase = .seconds(600)
            }
        ) { server in
            let (tour, _) = try await WaitlistTests.fullTour(server, capacity: 1)
            // The order's confirmation and the shop's notice go out first.
            #expect(try await smtp.waitForMessages(2).count == 2)

            for address in gone {
                let joined = try await WaitlistPrivacyTests.joinAPI(server, tour: tour, email: address)
                #expect(joined.status == 201, "\(joined.body)")
            }
            let deadJoined = "SELECT COUNT(*) FROM jobs WHERE kind = 'email.waitlist-joined' AND state = 'dead'"
            #expect(try await WaitlistPrivacyTests.eventually(server, deadJoined, is: 3))
            let failures = try await server.database.strings(
                "SELECT attempts || ' ' || last_error FROM jobs WHERE kind = 'email.waitlist-joined' AND state = 'dead' ORDER BY id"
            )
            #expect(failures.count == 3)
            for (failure, address) in zip(failures, gone) {
                #expect(failure.hasPrefix("1 "), "dead after its first attempt: \(failure)")
                #expect(failure.contains("refused the recipient '\(address)'") && failure.contains("550"), "\(failure)")
            }

            // Everyone else's mail still moves: the next person in line gets their link within seconds.
            let joined = try await WaitlistPrivacyTests.joinAPI(server, tour: tour, email: "still.here@example.com")
            #expect(joined.status == 201)
            let received = try await smtp.waitForMessages(3)
            let link = try #require(
                received.first { $0.contains("To: still.here@example.com") },
                "the mail breaker held back a good address")
            let token = try #require(
                try await SQLWaitlistRepository(database: server.database).entries(windowID: tour).last?.token)
            #expect(MIMEText.decodedParts(link).contains("https://petals.example/s/petals/waitlist/\(token)"))
            #expect(
                try await server.database.scalar(
                    "SELECT COUNT(*) FROM jobs WHERE kind = 'email.waitlist-joined' AND state = 'retrying'") == 0)
        }
    }
}
