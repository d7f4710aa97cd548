import FloodgateCore
import Foundation
import Hummingbird
import Logging

/// Turns every error into an answer a client can use: problem+json under `/api/`, a friendly page elsewhere.
///
/// Client mistakes keep their 4xx; anything else is logged with its detail and answered 500 without it,
/// so no internal text reaches a visitor. It sits outermost so unmatched routes are answered the same way.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let views: Views
    /// Answers a request that ran out of time waiting for the database (nothing was written).
    let waitingRoom: WaitingRoom

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch is DeadlineExceeded {
            return await self.waitingRoom.response(to: request, retryAfter: 2, tooFast: false)
        } catch {
            let problem: Problem
            if let known = Problem.from(error) {
                problem = known
            } else {
                context.logger.error(
                    "request failed",
                    metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
                problem = Problem(
                    "internal", status: .internalServerError, title: "Something went wrong on our side",
                    detail:
                        "The error has been logged. Nothing you sent was lost if you saw no confirmation; please try again."
                )
            }
            var response =
                try request.uri.path.hasPrefix("/api/") ? ProblemResponse.make(problem) : self.views.errorPage(problem)
            // A 405 says what the address does take (RFC 9110).
            if let refused = error as? MethodNotAllowed { response.headers[.allow] = refused.allow }
            return response
        }
    }
}

/// Encodes a ``Problem`` as `application/problem+json`.
enum ProblemResponse {
    static func make(_ problem: Problem) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(problem)
        return Response(
            status: .init(code: problem.status),
            headers: [.contentType: "application/problem+json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
