import FloodgateCore
import Hummingbird

/// Keeps a visitor's cart in a cookie per store, so any instance can serve the next request.
///
/// The cookie holds product ids and quantities only; prices always come from the catalog.
enum CartCookie {
    static func name(_ store: Store) -> String { "cart_\(store.slug)" }

    static func read(_ request: Request, store: Store) -> Cart {
        Cart(encoded: request.cookies[Self.name(store)]?.value ?? "")
    }

    static func write(_ cart: Cart, store: Store, to response: inout Response) {
        response.setCookie(
            Cookie(
                name: Self.name(store), value: cart.encoded, maxAge: cart.isEmpty ? 0 : 60 * 60 * 24 * 14,
                path: "/s/\(store.slug)/", httpOnly: true, sameSite: .lax
            )
        )
    }

    /// A 303 to `location` carrying the updated cart (post/redirect/get).
    static func redirect(to location: String, with cart: Cart, store: Store) -> Response {
        var response = Response.redirect(to: location, type: .normal)
        Self.write(cart, store: store, to: &response)
        return response
    }
}
