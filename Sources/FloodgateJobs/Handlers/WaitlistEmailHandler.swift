import FloodgateCore
import FloodgateIntegrations
import FloodgateStore
import Foundation
import Logging

/// Emails to people on a waiting list: the confirmation of their place in line, and the offer of a held place.
///
/// Idempotent like the order emails (the message ID names the entry and the email, and for a joined email
/// the job, as the same person may ask for it again). An offer whose hold has already ended (used, left, run
/// out) by the time the job runs is not sent: the link would lead nowhere.
public struct WaitlistEmailHandler: JobHandler {
    public let kind: String
    public var integration: String? { "mail" }
    let waitlists: any WaitlistRepository
    let stores: any StoreRepository
    let windows: any DeliveryWindowRepository
    let mailer: any Mailer
    let publicURL: String

    public static func all(database: Database, mailer: any Mailer, publicURL: String) -> [WaitlistEmailHandler] {
        let (waitlists, stores, windows) = (
            SQLWaitlistRepository(database: database), SQLStoreRepository(database: database),
            SQLDeliveryWindowRepository(database: database)
        )
        return [JobKind.waitlistOfferEmail, JobKind.waitlistJoinedEmail].map {
            WaitlistEmailHandler(
                kind: $0, waitlists: waitlists, stores: stores, windows: windows, mailer: mailer, publicURL: publicURL)
        }
    }

    public func run(_ job: Job, logger: Logger) async throws {
        struct Payload: Decodable { let entry: Int }
        let id = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)).entry
        guard let entry = try await self.waitlists.entry(id: id) else {
            throw HandlerError.missing("waiting-list entry \(id)")
        }
        guard let store = try await self.stores.all().first(where: { $0.id == entry.storeID }) else {
            throw HandlerError.missing("store \(entry.storeID)")
        }
        let tour = try await self.windows.window(storeID: store.id, id: entry.windowID)
        let label = tour.map { "\($0.date), \($0.from)–\($0.to)" } ?? "your delivery"
        let url = "\(self.publicURL)/s/\(store.slug)/waitlist/\(entry.token)"
        let from = MailMessage.mailbox(name: store.name, address: store.notifyEmail)
        let message: MailMessage
        if self.kind == JobKind.waitlistOfferEmail {
            guard entry.status == .offered else {
                logger.info(
                    "offer not sent: the hold has ended",
                    metadata: ["entry": "\(id)", "status": "\(entry.status.rawValue)"])
                return
            }
            let until = LocalTime.now(
                in: store.timeZone, at: Date(timeIntervalSince1970: Double(entry.holdUntil ?? 0) / 1_000)
            ).time
            message = MailMessage(
                from: from, to: [entry.email], subject: "\(store.name): a place for \(label) is yours until \(until)",
                text:
                    "Hello \(entry.name),\n\na place freed up for delivery \(label) and it is held for you until \(until).\n"
                    + "Order with it here: \(url)\n\nAfter that it goes to the next person in line.\n",
                html:
                    "<p>Hello \(OrderEmail.escape(entry.name)),</p><p>a place freed up for delivery <strong>\(OrderEmail.escape(label))</strong> "
                    + "and it is held for you until <strong>\(until)</strong>.</p><p><a href=\"\(OrderEmail.escape(url))\">Order with the held place</a></p>"
                    + "<p>After that it goes to the next person in line.</p>"
            )
        } else {
            message = MailMessage(
                from: from, to: [entry.email], subject: "\(store.name): you are on the waiting list for \(label)",
                text:
                    "Hello \(entry.name),\n\nyou are on the waiting list for delivery \(label). When a place frees and it is your turn, "
                    + "we email you a link that holds it for you.\nYour place in line, or leave the list: \(url)\n",
                html:
                    "<p>Hello \(OrderEmail.escape(entry.name)),</p><p>you are on the waiting list for delivery <strong>\(OrderEmail.escape(label))</strong>. "
                    + "When a place frees and it is your turn, we email you a link that holds it for you.</p>"
                    + "<p><a href=\"\(OrderEmail.escape(url))\">Your place in line, or leave the list</a></p>"
            )
        }
        // One offer per entry; the joined email again each time the same person joins again (see
        // ``SQLWaitlistRepository/join(_:store:)``), each a message of its own: a mailbox drops a message whose
        // Message-ID it has already seen.
        let what = self.kind == JobKind.waitlistOfferEmail ? "offer" : "joined-\(job.id)"
        try await self.mailer.deliver(message, messageID: "waitlist-\(entry.id)-\(what)@\(store.slug).floodgate")
        logger.info("email sent", metadata: ["waitlist_entry": "\(entry.id)", "email": "\(what)"])
    }
}
