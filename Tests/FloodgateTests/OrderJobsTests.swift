import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

@Suite("An order's deferred work")
struct OrderJobsTests {
    @Test("An order's jobs exist if and only if the order committed", arguments: TestEngine.available)
    func jobsExistIffOrderCommitted(engine: TestEngine) async throws {
        // No worker here: the jobs must stay where the order transaction put them.
        try await TestServer.run(engine, configure: { $0.role = .web }) { server in
            let window = try await server.firstOpenWindow()
            let placed = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(window: window))
            #expect(placed.status == 201)
            let orderID = try await server.database.scalar("SELECT MAX(id) FROM orders")
            // Petals is a Russian shop: two emails and a fiscal receipt.
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM jobs") == 3)
            for kind in [JobKind.orderConfirmationEmail, JobKind.shopNotificationEmail, JobKind.fiscalReceipt] {
                let key = JobKind.dedupeKey(kind, orderID: orderID)
                #expect(
                    try await server.database.scalar(
                        "SELECT COUNT(*) FROM jobs WHERE dedupe_key = '\(key)' AND state = 'queued'") == 1)
            }

            // Refused orders (a full window, a replay) add no job.
            try await server.database.execute("UPDATE delivery_windows SET reserved = capacity WHERE id = \(window)")
            let full = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(window: window))
            #expect(full.status == 409)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM jobs") == 3)
        }
    }

    @Test(
        "The worker sends the confirmation and the shop's notice over SMTP, once each", arguments: TestEngine.available)
    func emailsAreSentOverSMTP(engine: TestEngine) async throws {
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
            let placed = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(note: "Для Ольги — с любовью")
            ).object
            let number = try #require(placed["number"] as? String)
            let received = try await smtp.waitForMessages(2)
            #expect(received.count == 2)
            let customer = try #require(received.first { $0.contains("To: anna@example.com") })
            let shop = try #require(received.first { $0.contains("To: orders@petals.example") })
            #expect(customer.contains("From: Petals <orders@petals.example>"))
            let customerText = MIMEText.decodedParts(customer)
            #expect(customerText.contains("Order \(number)"))
            #expect(customerText.contains("Для Ольги — с любовью"))
            #expect(
                customerText.contains(
                    "https://petals.example/s/petals/orders/\(number)?token=\(placed["token"] as? String ?? "")"))
            #expect(MIMEText.decodedParts(shop).contains("New order from Anna Petrova"))

            // Both jobs are done; nothing is sent twice.
            var done = 0
            for _ in 0..<50 where done < 2 {
                done = try await server.database.scalar("SELECT COUNT(*) FROM jobs WHERE state = 'done'")
                if done < 2 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(done == 2)
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(smtp.messages().count == 2)
        }
    }
}
