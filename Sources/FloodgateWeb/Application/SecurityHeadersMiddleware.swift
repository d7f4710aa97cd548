import Hummingbird

/// Puts the ``SecurityHeaders`` on every answer the router gives: pages, the API, the waiting room, static files,
/// photos, redirects and errors. It stands outermost, so no other middleware answers without them.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // ErrorMiddleware answers every error behind it; one thrown in front of it is answered here, with the headers.
            response = try error.response(from: request, context: context)
        }
        SecurityHeaders.apply(to: &response.headers)
        return response
    }
}
