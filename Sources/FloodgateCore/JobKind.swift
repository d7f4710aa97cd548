/// The kinds of deferred work an order leaves in the outbox, and the facts that make each one unique.
public enum JobKind {
    /// The order confirmation to the customer.
    public static let orderConfirmationEmail = "email.order-confirmation"
    /// The new-order notice to the shop.
    public static let shopNotificationEmail = "email.shop-notification"
    /// The order's fiscal receipt at the online cash register (stores with fiscal receipts only).
    public static let fiscalReceipt = "fiscal.receipt"
    /// A waiting-list offer: a place is held for the person, with the link that uses it.
    public static let waitlistOfferEmail = "email.waitlist-offer"
    /// Confirmation of joining a waiting list, with the link to see the place in line or leave.
    public static let waitlistJoinedEmail = "email.waitlist-joined"

    /// What an order of `store` leaves in the outbox.
    public static func forOrder(in store: Store) -> [String] {
        [Self.orderConfirmationEmail, Self.shopNotificationEmail] + (store.fiscalReceipts ? [Self.fiscalReceipt] : [])
    }

    /// The id the cash register knows an order's sell receipt by: registering it again returns the first one.
    public static func receiptExternalID(orderNumber: String) -> String { "\(orderNumber)-sell" }

    /// Payload of an order's jobs: the order's row id (handlers read the order, never a stale copy).
    public static func orderPayload(orderID: Int) -> String {
        Self.orderPayloadAround.before + String(orderID) + Self.orderPayloadAround.after
    }

    /// The texts an order's job payload puts before and after the order's id. PostgreSQL's one-statement
    /// checkout joins them around the id its insert has just drawn.
    public static let orderPayloadAround = (before: #"{"order":"#, after: "}")

    /// Payload of a waiting-list entry's jobs: the entry's row id.
    public static func entryPayload(entryID: Int) -> String { #"{"entry":\#(entryID)}"# }

    /// One job of each kind per order, however often the order's transaction is retried.
    public static func dedupeKey(_ kind: String, orderID: Int) -> String {
        Self.dedupeKeyPrefix(kind) + String(orderID)
    }

    /// What an order's dedupe key puts before the order's id (see ``orderPayloadAround``).
    public static func dedupeKeyPrefix(_ kind: String) -> String { "\(kind):order:" }
}
