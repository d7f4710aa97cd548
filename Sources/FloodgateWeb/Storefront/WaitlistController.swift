import FloodgateCore
import FloodgateStore
import Hummingbird

/// Waiting lists on the storefront: joining a full tour's list, the link each person gets by email (their place
/// in line, or — while a place is held for them — the checkout for it), and leaving.
///
/// The link is a secret that only the email carries: joining answers everyone alike, whether their address
/// was new to the line or already in it, with a page that says where the link went.
struct WaitlistController: Sendable {
    let catalog: any CatalogRepository
    let windows: any DeliveryWindowRepository
    let tours: any TourRepository
    let waitlists: any WaitlistRepository
    let checkout: CheckoutController
    let views: Views

    init(_ repositories: Repositories, checkout: CheckoutController, views: Views) {
        self.catalog = repositories.catalog
        self.windows = repositories.windows
        self.tours = repositories.tours
        self.waitlists = repositories.waitlists
        self.checkout = checkout
        self.views = views
    }

    func addRoutes(to store: RouterGroup<AppRequestContext>) {
        store.get("tours/:tour/waitlist", use: self.form)
        store.post("tours/:tour/waitlist", use: self.join)
        store.get("tours/:tour/waitlist/sent", use: self.sent)
        store.get("waitlist/:token", use: self.entry)
        store.post("waitlist/:token/leave", use: self.leave)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let tour = try await self.tour(store: store, context: context)
        return try await self.joinPage(store: store, tour: tour, cart: CartCookie.read(request, store: store))
    }

    @Sendable func join(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let tour = try await self.tour(store: store, context: context)
        let form = try await FormBody.read(request, context: context)
        let cart = form["items"].map(Cart.init(encoded:)) ?? CartCookie.read(request, store: store)
        let draft = WaitlistRequest.Draft(
            name: form["name"], email: form["email"], phone: form["phone"], cart: cart.encoded)
        do {
            try await self.waitlists.join(try draft.validated(windowID: tour.id), store: store)
            // Never to the entry's own page: someone typing another person's address would take over their place.
            return .redirect(to: "/s/\(store.slug)/tours/\(tour.id)/waitlist/sent", type: .normal)
        } catch CheckoutError.validation(let errors) {
            return try await self.joinPage(
                store: store, tour: tour, cart: cart, draft: draft, errors: errors, status: .unprocessableContent)
        } catch let error as WaitlistError {
            let alert: String
            switch error {
            case .tourNotFound: throw Problem.notFound("There is no such delivery in this shop.")
            case .placesLeft: alert = "This delivery has places again: order now instead of waiting."
            case .tourClosed:
                alert = "This delivery takes no more orders, so its waiting list is closed. Choose another delivery."
            }
            return try await self.joinPage(
                store: store, tour: tour, cart: cart, draft: draft, alerts: [alert], status: .conflict)
        }
    }

    /// After joining: the link is on its way by email. The same page for everyone, as it names no entry.
    @Sendable func sent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let tour = try await self.tour(store: store, context: context)
        return self.views.render(
            WaitlistSentPage(store: store, tour: tour, cart: CartCookie.read(request, store: store)))
    }

    @Sendable func entry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let entry = try await self.entry(store: store, context: context)
        if entry.holdIsValid(at: WallClock.nowMillis) {
            // The offer's link: the checkout for the held place, with the cart they left (or the one they have now).
            let kept = Cart(encoded: entry.cart)
            return try await self.checkout.heldPage(
                store: store, entry: entry, cart: kept.isEmpty ? CartCookie.read(request, store: store) : kept)
        }
        async let tour = self.windows.window(storeID: store.id, id: entry.windowID)
        async let position = self.waitlists.position(of: entry)
        return self.views.render(
            WaitlistEntryPage(store: store, entry: entry, tour: try await tour, position: try await position))
    }

    @Sendable func leave(_ request: Request, context: AppRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let token = context.parameters.get("token") ?? ""
        guard try await self.waitlists.leave(store: store, token: token) != nil else { throw Self.unknownLink }
        return .redirect(to: "/s/\(store.slug)/waitlist/\(token)", type: .normal)
    }

    private static let unknownLink = Problem.notFound(
        "We cannot find this waiting-list place. Use the link from your email.")

    private func tour(store: Store, context: AppRequestContext) async throws -> DeliveryWindow {
        guard let id = context.parameters.get("tour", as: Int.self),
            let tour = try await self.windows.window(storeID: store.id, id: id)
        else {
            throw Problem.notFound("There is no such delivery in this shop.")
        }
        return tour
    }

    private func entry(store: Store, context: AppRequestContext) async throws -> WaitlistEntry {
        guard let entry = try await self.waitlists.entry(store: store, token: context.parameters.get("token") ?? "")
        else {
            throw Self.unknownLink
        }
        return entry
    }

    private func joinPage(
        store: Store, tour: DeliveryWindow, cart: Cart,
        draft: WaitlistRequest.Draft = .init(name: nil, email: nil, phone: nil, cart: nil),
        errors: [FieldError] = [], alerts: [String] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        async let products = self.catalog.products(storeID: store.id, ids: cart.lines.map(\.productID))
        async let zones = self.tours.zones(storeID: store.id)
        let page = WaitlistJoinPage(
            store: store, tour: tour, zones: try await zones, cart: cart,
            priced: PricedCart(cart: cart, products: try await products, store: store),
            draft: draft, errors: errors, alerts: alerts
        )
        return self.views.render(page, status: status)
    }
}
