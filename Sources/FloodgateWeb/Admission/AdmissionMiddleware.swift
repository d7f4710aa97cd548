import Hummingbird
import NIOCore

/// The first thing a request meets: through the ``AdmissionGate`` or refused, cheaply, with `Retry-After`.
///
/// Refusals are `503`: problem+json (`urn:floodgate:problem:overloaded`) under `/api/`, a small waiting
/// page elsewhere that keeps the cart (a cookie, untouched) and tries again by itself.
struct AdmissionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let gate: AdmissionGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard
            let requestClass = RequestClass.classify(
                method: request.method.rawValue, path: request.uri.path, userAgent: request.headers[.userAgent]
            )
        else { return try await next(request, context) }
        switch await self.gate.enter(requestClass) {
        case .admitted(let ticket):
            do {
                let response = try await next(request, context)
                await self.gate.leave(ticket)
                return response
            } catch {
                await self.gate.leave(ticket)
                throw error
            }
        case .shed(let retryAfter):
            return try Self.refusal(path: request.uri.path, retryAfter: retryAfter)
        }
    }

    static func refusal(path: String, retryAfter: Int) throws -> Response {
        var response: Response
        if path.hasPrefix("/api/") {
            response = try ProblemResponse.make(
                Problem(
                    "overloaded", status: .serviceUnavailable, title: "Too many requests right now",
                    detail: "The shop is serving as many people as it can at full speed. Try again in \(retryAfter) s; nothing was changed."
                )
            )
        } else {
            let page = """
                <!doctype html><html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta http-equiv="refresh" content="\(retryAfter)"><title>You are in line</title>
                <link rel="stylesheet" href="/static/style.css"></head><body><main class="waiting-room">
                <h1>You are in line</h1><p>Many people are ordering right now. This page tries again by itself in about
                \(retryAfter) s — your cart is kept.</p></main></body></html>
                """
            response = Response(
                status: .serviceUnavailable, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: page))
            )
        }
        response.headers[.retryAfter] = "\(retryAfter)"
        return response
    }
}
