import FloodgateCore
import FloodgateStore
import Hummingbird
import NIOCore

/// Answers a request the shop cannot take now, cheaply: `503` (full) or `429` (too fast) with `Retry-After`.
///
/// Under `/api/` a problem+json body (`urn:floodgate:problem:overloaded` / `rate-limited`); elsewhere the
/// ``WaitingPage``. A refused GET's page is the same for every visitor of a store but for the cart badge, so
/// it comes from a ``PageCache`` of its own (one render per store and wait a second, whatever the crowd), which
/// cannot push catalog and product pages out of theirs.
struct WaitingRoom: Sendable {
    let stores: any StoreRepository
    /// Cached for a second: the page must not cost the database while the shop is full.
    let windows: any DeliveryWindowRepository
    let views: Views
    /// Only the shop's own forms are posted again: a refused post from another site must not come back as one
    /// of the shop's, with the visitor's cookies, when the countdown ends.
    let sameOrigin: SameOriginPosts

    func response(to request: Request, retryAfter: Int, tooFast: Bool) async -> Response {
        var response: Response
        do {
            response = try await self.answer(request, retryAfter: retryAfter, tooFast: tooFast)
        } catch {
            response = Response(
                status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Please try again in \(retryAfter) s.\n")))
        }
        response.status = tooFast ? .tooManyRequests : .serviceUnavailable
        response.headers[.retryAfter] = "\(retryAfter)"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func answer(_ request: Request, retryAfter: Int, tooFast: Bool) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/api/") {
            return try ProblemResponse.make(
                tooFast
                    ? Problem(
                        "rate-limited", status: .tooManyRequests, title: "Too many requests from this client",
                        detail: "Slow down: try again in \(retryAfter) s. Nothing was changed."
                    )
                    : Problem(
                        "overloaded", status: .serviceUnavailable, title: "Too many requests right now",
                        detail:
                            "The shop is serving as many people as it can at full speed. Try again in \(retryAfter) s; nothing was changed."
                    )
            )
        }
        let parts = path.split(separator: "/")
        let store = parts.count >= 2 && parts[0] == "s" ? try await self.stores.find(slug: String(parts[1])) : nil
        let cartCount = store.map { CartCookie.read(request, store: $0).itemCount } ?? 0
        // A refused form is posted again, as it was, when the wait is over (if its body can still be read).
        if request.method == .post, let store, self.sameOrigin.isSameOrigin(request),
            let form = try? await FormBody.read(request, maxSize: 64 * 1024)
        {
            let replay = WaitingPage.Replay(
                action: path,
                fields: form.fields.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) })
            let windows = await Self.openWindows(store, from: self.windows)
            return self.views.render(
                WaitingPage(
                    store: store, tooFast: tooFast, retryAfter: retryAfter, windows: windows, replay: replay,
                    cartCount: cartCount))
        }
        let key = PageCache.Key(store: store?.slug ?? "", page: "waiting/\(tooFast)/\(retryAfter)")
        let entry = try await self.views.waiting.entry(for: key) { [views, windows = self.windows] in
            let open = if let store { await Self.openWindows(store, from: windows) } else { [DeliveryWindow]() }
            let page = WaitingPage(
                store: store, tooFast: tooFast, retryAfter: retryAfter, windows: open, replay: nil, cartCount: nil)
            return views.draw(page)
        }
        return Response(
            status: .serviceUnavailable, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: entry.body(with: Chrome.cartBadge(cartCount)))
        )
    }

    /// The store's open windows if they can be read within a moment; the page goes out without them otherwise.
    private static func openWindows(
        _ store: Store, from windows: any DeliveryWindowRepository
    ) async -> [DeliveryWindow] {
        await RequestDeadline.$current.withValue(.now + .milliseconds(300)) {
            (try? await windows.open(for: store)) ?? []
        }
    }
}
