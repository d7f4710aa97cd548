import FloodgateCore
import FloodgateStore
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /api/v1/stores/{store}/orders` (idempotent) and `GET …/orders/{number}?token=…`.
struct OrdersAPIController: Sendable {
    let orders: any OrderRepository
    let writer: any OrderWriter

    func addRoutes(to store: RouterGroup<AppRequestContext>) {
        store.post("orders", use: self.create)
        store.get("orders/:number", use: self.show)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let key = try IdempotencyHeader.key(in: request)
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw Problem(
                "unsupported-media-type", status: .unsupportedMediaType, title: "Send JSON",
                detail: "Send the order as a JSON body with Content-Type: application/json."
            )
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let draft = try OrderBodyDecoder.decode(Data(buffer: body))
        let orderRequest = try draft.validated()
        let placed = try await self.writer.place(
            orderRequest, in: store, idempotency: IdempotencyKey(key: key, requestHash: try draft.fingerprint())
        )
        let document = OrderDocument(placed.order)
        var headers: HTTPFields = [
            .location: "/api/v1/stores/\(store.slug)/orders/\(placed.order.number)?token=\(placed.order.token)",
            .cacheControl: "no-store",
        ]
        if placed.replayed { headers[IdempotencyHeader.replayed] = "true" }
        return try EditedResponse(status: .created, headers: headers, response: document).response(
            from: request, context: context)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<OrderDocument> {
        let store = try context.requireStore()
        let number = context.parameters.get("number") ?? ""
        let token = request.uri.queryParameters.get("token") ?? ""
        // The same answer for "no such order" and "wrong token", so numbers cannot be probed.
        guard let order = try await self.orders.find(store: store, number: number),
            TokenCheck.matches(order.token, token)
        else {
            throw Problem.notFound("There is no order \(number) with this token.")
        }
        return EditedResponse(headers: [.cacheControl: "no-store"], response: OrderDocument(order))
    }
}

/// The `Idempotency-Key` request header and the header that marks a replayed answer.
enum IdempotencyHeader {
    static let name = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    static func key(in request: Request) throws -> String {
        guard let key = request.headers[Self.name]?.trimmingSpaces, !key.isEmpty else {
            throw Problem(
                "idempotency-key-missing", status: .badRequest, title: "Idempotency-Key header required",
                detail:
                    "Send a unique Idempotency-Key header (e.g. a UUID) with every new order, and the same key when you retry it."
            )
        }
        guard IdempotencyKey.isWellFormed(key) else {
            throw Problem(
                "idempotency-key-invalid", status: .badRequest, title: "Idempotency-Key header is not valid",
                detail: "Use at most \(IdempotencyKey.maxLength) visible ASCII characters, e.g. a UUID."
            )
        }
        return key
    }
}
