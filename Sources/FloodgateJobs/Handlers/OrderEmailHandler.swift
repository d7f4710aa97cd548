import FloodgateCore
import FloodgateIntegrations
import FloodgateStore
import Foundation
import Logging

/// Sends an order's confirmation (to the customer) or notice (to the shop).
///
/// Idempotent: the message ID is derived from the order and the audience, so a resend after a crash is
/// the same message (a folder mailer overwrites it; an MTA can drop the duplicate).
public struct OrderEmailHandler: JobHandler {
    public let kind: String
    public var integration: String? { "mail" }
    let audience: OrderEmail.Audience
    let orders: any OrderRepository
    let stores: any StoreRepository
    let mailer: any Mailer
    /// Where customers reach the shop, e.g. `https://petals.example`; links in emails start with it.
    let publicURL: String

    public static func all(
        orders: any OrderRepository, stores: any StoreRepository, mailer: any Mailer, publicURL: String
    ) -> [OrderEmailHandler] {
        [
            OrderEmailHandler(
                kind: JobKind.orderConfirmationEmail, audience: .customer, orders: orders, stores: stores,
                mailer: mailer, publicURL: publicURL),
            OrderEmailHandler(
                kind: JobKind.shopNotificationEmail, audience: .shop, orders: orders, stores: stores, mailer: mailer,
                publicURL: publicURL),
        ]
    }

    public func run(_ job: Job, logger: Logger) async throws {
        let (order, store) = try await OrderJobSubject.load(
            orderID: try OrderJobSubject.orderID(of: job), orders: self.orders, stores: self.stores)
        let url = "\(self.publicURL)/s/\(store.slug)/orders/\(order.number)?token=\(order.token)"
        let message = OrderEmail.message(self.audience, order: order, store: store, orderURL: url)
        let audience = self.audience == .customer ? "confirmation" : "shop"
        try await self.mailer.deliver(message, messageID: "order-\(order.number)-\(audience)@\(store.slug).floodgate")
        logger.info("email sent", metadata: ["order": "\(order.number)", "to": "\(audience)"])
    }
}

/// A job that refers to something that is not there.
public enum HandlerError: PermanentJobFailure, CustomStringConvertible {
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let what): "The job refers to \(what), which does not exist."
        }
    }
}
