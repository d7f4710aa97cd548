import FloodgateCore
import FloodgateStore
import Hummingbird

/// `/s/{store}/checkout` and the confirmation page `/s/{store}/orders/{number}?token=…`.
///
/// The form carries the cart it was shown with and an idempotency key made when it was drawn, so a customer
/// who presses "Place order" twice (or reloads the POST) gets one order and lands on the same confirmation.
struct CheckoutController: Sendable {
    let catalog: any CatalogRepository
    let windows: any DeliveryWindowRepository
    let tours: any TourRepository
    let waitlists: any WaitlistRepository
    let orders: any OrderRepository
    let writer: any OrderWriter
    let views: Views

    init(_ repositories: Repositories, views: Views) {
        self.catalog = repositories.catalog
        self.windows = repositories.windows
        self.tours = repositories.tours
        self.waitlists = repositories.waitlists
        self.orders = repositories.orders
        self.writer = repositories.orderWriter
        self.views = views
    }

    func addRoutes(to store: RouterGroup<AppRequestContext>) {
        store.get("checkout", use: self.form)
        store.post("checkout", use: self.submit)
        store.get("orders/:number", use: self.confirmation)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let cart = CartCookie.read(request, store: store)
        guard !cart.isEmpty else { return .redirect(to: "/s/\(store.slug)/cart", type: .normal) }
        return try await self.page(store: store, cart: cart, values: .init(), key: RandomToken.hex(words: 2))
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let form = try await FormBody.read(request, context: context)
        let cart = form["items"].map(Cart.init(encoded:)) ?? CartCookie.read(request, store: store)
        let values = CheckoutPage.Values(
            customerName: form["customer_name"] ?? "", customerPhone: form["customer_phone"] ?? "",
            customerEmail: form["customer_email"] ?? "", recipientName: form["recipient_name"] ?? "",
            recipientPhone: form["recipient_phone"] ?? "", address: form["address"] ?? "",
            cardMessage: form["card_message"] ?? "",
            postcode: form["postcode"] ?? "", window: Int(form["window"] ?? "") ?? 0
        )
        let hold = form["hold"].flatMap { $0.isEmpty ? nil : $0 }
        let sentKey = form["idempotency_key"].flatMap { $0.isEmpty ? nil : $0 }
        // The form's key is ours (random hex), but the post is the client's: anything else never reaches the keys' index.
        if let sentKey, !IdempotencyKey.isWellFormed(sentKey) {
            let alert = "This checkout form was changed on its way here. Check the details and place the order again."
            return try await self.page(
                store: store, cart: cart, values: values, key: RandomToken.hex(words: 2), alerts: [alert],
                status: .badRequest
            )
        }
        let key = sentKey ?? RandomToken.hex(words: 2)
        let draft = OrderRequest.Draft(
            items: cart.lines.map { .init(product: $0.productID, quantity: $0.quantity) },
            customer: .init(name: values.customerName, phone: values.customerPhone, email: values.customerEmail),
            recipient: .init(
                name: values.recipientName, phone: values.recipientPhone, address: values.address,
                postcode: values.postcode),
            deliveryWindow: values.window == 0 ? nil : values.window, cardMessage: values.cardMessage, hold: hold
        )
        do {
            let placed = try await self.writer.place(
                try draft.validated(), in: store,
                idempotency: IdempotencyKey(key: "form:\(key)", requestHash: try draft.fingerprint())
            )
            let order = placed.order
            return CartCookie.redirect(
                to: "/s/\(store.slug)/orders/\(order.number)?token=\(order.token)&placed=1", with: Cart(), store: store)
        } catch let error as CheckoutError {
            switch error {
            case .validation(let errors):
                // Only a token that could be one is looked up (PostgreSQL refuses text holding NUL, for one).
                let entry: WaitlistEntry? =
                    if let hold, OrderRequest.isWellFormedHold(hold) {
                        try await self.waitlists.entry(store: store, token: hold)
                    } else { nil }
                return try await self.page(
                    store: store, cart: cart, values: values, key: key, hold: entry, errors: errors,
                    status: .unprocessableContent
                )
            case .holdExpired:
                var values = values
                values.window = 0
                let alert =
                    "The place held for you has run out or was already used. Choose another delivery window, or join its waiting list again."
                return try await self.page(
                    store: store, cart: cart, values: values, key: key, alerts: [alert], status: .gone)
            case .windowFull:
                var values = values
                values.window = 0
                let alert =
                    "Sorry — the last place in that delivery window was just taken. Please choose another window."
                return try await self.page(
                    store: store, cart: cart, values: values, key: key, alerts: [alert], status: .conflict)
            case .productUnavailable:
                return try await self.page(
                    store: store, cart: cart, values: values, key: key, alerts: [Problem(error).detail],
                    status: .conflict
                )
            case .idempotencyKeyReused:
                let alert =
                    "This checkout was already sent with other details. Check the form and place the order again."
                return try await self.page(
                    store: store, cart: cart, values: values, key: RandomToken.hex(words: 2), alerts: [alert],
                    status: .unprocessableContent
                )
            }
        }
    }

    @Sendable func confirmation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let number = context.parameters.get("number") ?? ""
        let token = request.uri.queryParameters.get("token") ?? ""
        guard let order = try await self.orders.find(store: store, number: number),
            TokenCheck.matches(order.token, token)
        else {
            throw Problem.notFound("We cannot find order \(number). Use the link from your confirmation.")
        }
        let justPlaced = request.uri.queryParameters.get("placed") == "1"
        return self.views.render(OrderPage(store: store, order: order, justPlaced: justPlaced))
    }

    /// The form for a place held from a waiting list: `/s/{store}/waitlist/{token}` shows it while the hold lasts.
    func heldPage(store: Store, entry: WaitlistEntry, cart: Cart) async throws -> Response {
        var values = CheckoutPage.Values(
            customerName: entry.name, customerPhone: entry.phone, customerEmail: entry.email)
        values.window = entry.windowID
        return try await self.page(
            store: store, cart: cart, values: values, key: RandomToken.hex(words: 2), hold: entry)
    }

    /// `hold`: a waiting-list offer; the form is then for its tour only (if it is still held).
    private func page(
        store: Store, cart: Cart, values: CheckoutPage.Values, key: String, hold: WaitlistEntry? = nil,
        errors: [FieldError] = [],
        alerts: [String] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        async let products = self.catalog.products(storeID: store.id, ids: cart.lines.map(\.productID))
        async let windows = self.windows.open(for: store)
        async let zones = self.tours.zones(storeID: store.id)
        var held: CheckoutPage.Held?
        if let entry = hold, entry.holdIsValid(at: WallClock.nowMillis),
            let window = try await self.windows.window(storeID: store.id, id: entry.windowID)
        {
            held = CheckoutPage.Held(
                token: entry.token, window: window, until: LocalTime.now(in: store.timeZone, at: entry.holdDate).time)
        }
        let priced = PricedCart(cart: cart, products: try await products, store: store)
        let page = CheckoutPage(
            store: store, cart: cart, priced: priced, windows: try await windows, zones: try await zones, held: held,
            values: values,
            idempotencyKey: key, errors: errors, alerts: alerts
        )
        return self.views.render(page, status: status)
    }
}
