import FloodgateCore
import FloodgateStore
import Hummingbird

/// `/s/{store}/cart`: see the cart, add a product, change quantities, remove a line. Works without JavaScript.
struct CartController: Sendable {
    let catalog: any CatalogRepository
    let views: Views

    func addRoutes(to store: RouterGroup<AppRequestContext>) {
        store.get("cart", use: self.show)
        store.post("cart", use: self.update)
        store.post("cart/items", use: self.add)
        store.post("cart/remove", use: self.remove)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let cart = CartCookie.read(request, store: store)
        // The page is drawn from the cart's contents and the catalog only: rendered once per distinct cart.
        let entry = try await self.views.carts.entry(for: PageCache.Key(store: store.slug, page: cart.encoded)) {
            [self] in
            try await self.html(store: store, cart: cart)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: entry.body(with: ""))
        )
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        var cart = CartCookie.read(request, store: store)
        let form = try await FormBody.read(request, context: context)
        guard let id = Int(form["product"] ?? ""),
            let product = try await self.catalog.product(storeID: store.id, id: id)
        else {
            return try await self.page(
                store: store, cart: cart, messages: ["That product is not in this shop."], status: .unprocessableContent
            )
        }
        guard product.available else {
            return try await self.page(
                store: store, cart: cart, messages: ["\(product.name) cannot be ordered at the moment."],
                status: .conflict
            )
        }
        do throws(CartError) {
            try cart.add(productID: id, quantity: Int(form["quantity"] ?? "1") ?? 0)
        } catch {
            return try await self.page(
                store: store, cart: cart, messages: [error.message], status: .unprocessableContent)
        }
        return CartCookie.redirect(to: "/s/\(store.slug)/cart", with: cart, store: store)
    }

    /// Sets every quantity on the form (`quantity_{productID}`); zero removes the line.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        var cart = CartCookie.read(request, store: store)
        let form = try await FormBody.read(request, context: context)
        var messages: [String] = []
        for line in cart.lines {
            guard let raw = form["quantity_\(line.productID)"] else { continue }
            do throws(CartError) {
                guard let quantity = Int(raw.trimmingSpaces) else { throw .quantityOutOfRange }
                try cart.set(productID: line.productID, quantity: quantity)
            } catch {
                messages.append(error.message)
            }
        }
        if !messages.isEmpty {
            // Nothing is applied when any quantity is wrong, so the cart never ends up half-changed.
            return try await self.page(
                store: store, cart: CartCookie.read(request, store: store), messages: messages,
                status: .unprocessableContent
            )
        }
        return CartCookie.redirect(to: "/s/\(store.slug)/cart", with: cart, store: store)
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        var cart = CartCookie.read(request, store: store)
        let form = try await FormBody.read(request, context: context)
        if let id = Int(form["product"] ?? "") { cart.remove(productID: id) }
        return CartCookie.redirect(to: "/s/\(store.slug)/cart", with: cart, store: store)
    }

    private func page(
        store: Store, cart: Cart, messages: [String] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        self.views.html(try await self.html(store: store, cart: cart, messages: messages), status: status)
    }

    /// The cart page priced against the catalog as it is now.
    private func html(store: Store, cart: Cart, messages: [String] = []) async throws -> String {
        let products = try await self.catalog.products(storeID: store.id, ids: cart.lines.map(\.productID))
        let priced = PricedCart(cart: cart, products: products, store: store)
        return self.views.draw(CartPage(store: store, priced: priced, cartCount: cart.itemCount, messages: messages))
    }
}
