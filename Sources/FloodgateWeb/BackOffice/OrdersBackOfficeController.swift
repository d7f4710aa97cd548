import FloodgateCore
import FloodgateStore
import Hummingbird

/// The day at a glance, the order list and an order's page with its status workflow.
struct OrdersBackOfficeController: Sendable {
    let shell: BackOfficeShell
    let orders: any OrderRepository
    let admin: any OrderAdminRepository
    let tours: any TourRepository
    let waitlists: any WaitlistRepository
    let audit: any AuditLog

    func addRoutes(to store: StoreGroups) {
        store.requiring(.seeDay).get("", use: self.dashboard)
        let orders = store.requiring(.viewOrders)
        orders.get("orders", use: self.list)
        orders.get("orders/:number", use: self.detail)
        // Each moves orders within their own steps (``OrderStatus/allows(_:with:)``).
        store.requiringAny([.assembleOrders, .deliverOrders, .manageOrders])
            .post("orders/:number/status", use: self.changeStatus)
    }

    @Sendable func dashboard(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let today = LocalTime.now(in: store.timeZone).date
        let tomorrow = LocalTime.date(daysFromNow: 1, in: store.timeZone)
        async let tours = self.tours.tours(storeID: store.id, from: today, to: tomorrow)
        async let zones = self.tours.zones(storeID: store.id)
        async let waiting = self.waitlists.lengths(storeID: store.id, fromDate: today)
        let page = DashboardPage(
            chrome: try await self.shell.chrome("Today", context, store: store, request: request), store: store,
            dates: [("Today", today), ("Tomorrow", tomorrow)], tours: try await tours, zones: try await zones,
            waiting: try await waiting
        )
        return self.shell.render(page)
    }

    @Sendable func list(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        // Read as a form is encoded (a GET form sends spaces as `+`).
        let query = FormBody(encoded: request.uri.query ?? "")
        var filter = OrderFilter(storeID: store.id)
        var errors: [String] = []
        if let date = query["date"], !date.isEmpty {
            if CivilDate(date) != nil {
                filter.date = date
            } else {
                errors.append("The delivery date must be a date like 2026-02-14.")
            }
        }
        if let tour = query["tour"], !tour.isEmpty {
            if let id = Int(tour) { filter.windowID = id } else { errors.append("Choose a tour from the list.") }
        }
        if let status = query["status"], !status.isEmpty {
            if let value = OrderStatus(rawValue: status) {
                filter.status = value
            } else {
                errors.append("Choose a status from the list.")
            }
        }
        if let text = query["q"], !text.trimmingSpaces.isEmpty { filter.text = String(text.trimmingSpaces.prefix(100)) }
        if let before = query["before"].flatMap({ Int($0) }) { filter.before = before }
        // Tours to choose from: around the chosen day, or the coming week.
        let day = filter.date ?? LocalTime.now(in: store.timeZone).date
        let end = CivilDate(day).map { $0.adding(days: 7).description } ?? day
        async let listing = self.admin.list(filter)
        async let tours = self.tours.tours(storeID: store.id, from: day, to: end)
        var fields: [String: String] = [:]
        for key in ["date", "tour", "status", "q"] { fields[key] = query[key] }
        let page = OrderListPage(
            chrome: try await self.shell.chrome("Orders", context, store: store, request: request), store: store,
            filter: filter,
            page: try await listing, tours: try await tours, query: fields, errors: errors
        )
        return self.shell.render(page, status: errors.isEmpty ? .ok : .badRequest)
    }

    @Sendable func detail(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let order = try await self.order(store: store, context: context)
        return try await self.detailPage(store: store, order: order, context: context, request: request)
    }

    @Sendable func changeStatus(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let form = try await BackOfficeForm.read(request, context: context)
        let order = try await self.order(store: store, context: context)
        guard let target = form["status"].flatMap(OrderStatus.init(rawValue:)) else {
            return try await self.refused(
                store: store, order: order, context: context, alert: "Choose a status.", status: .unprocessableContent)
        }
        // The form says which status it was drawn for: a change someone else made meanwhile is not overwritten.
        if let drawn = form["from"].flatMap(OrderStatus.init(rawValue:)), drawn != order.status {
            let alert = "Someone changed this order to “\(order.status.label)” meanwhile. Check it and try again."
            return try await self.refused(store: store, order: order, context: context, alert: alert, status: .conflict)
        }
        guard order.status.allows(target, with: context.permissions) || !order.status.allows(target) else {
            throw Problem(
                "forbidden", status: .forbidden, title: "Not for your role",
                detail: "Your role may not move an order from “\(order.status.label)” to “\(target.label)”.")
        }
        let id = OrderNumber.id(in: order.number, prefix: store.orderPrefix) ?? 0
        // A courier works from the tour's manifest and goes back to it; everyone else to the order.
        let back =
            form["back"] == "manifest"
            ? "/admin/\(store.slug)/tours/\(order.deliveryWindow.id)/manifest"
            : "/admin/\(store.slug)/orders/\(order.number)"
        do {
            _ = try await self.admin.changeStatus(
                storeID: store.id, orderID: id, to: target, reason: form["reason"] ?? "", by: context.actor)
        } catch let error as StatusChangeError {
            let alert: String
            switch error {
            case .reasonRequired: alert = "Say why the order is cancelled: the customer will ask."
            case .reasonInvalid: alert = "Say why in at most \(StatusChangeError.reasonLength) characters, on one line."
            case .notAllowed(let from, let to): alert = "An order that is “\(from.label)” cannot become “\(to.label)”."
            }
            let current = try await self.order(store: store, context: context)
            return try await self.refused(
                store: store, order: current, context: context, alert: alert, status: .conflict)
        }
        return BackOfficeShell.redirect(back, done: .statusChanged)
    }

    /// A change not made: the order's page with why, or for those who may not see orders (couriers), only why.
    private func refused(
        store: Store, order: Order, context: StaffRequestContext, alert: String, status: HTTPResponse.Status
    ) async throws -> Response {
        guard context.permissions.contains(.viewOrders) else {
            throw Problem("not-changed", status: status, title: "The order was not changed", detail: alert)
        }
        return try await self.detailPage(store: store, order: order, context: context, alerts: [alert], status: status)
    }

    private func order(store: Store, context: StaffRequestContext) async throws -> Order {
        let number = context.parameters.get("number") ?? ""
        guard let order = try await self.orders.find(store: store, number: number) else {
            throw Problem.notFound("There is no order \(number).")
        }
        return order
    }

    private func detailPage(
        store: Store, order: Order, context: StaffRequestContext, request: Request? = nil, alerts: [String] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let id = OrderNumber.id(in: order.number, prefix: store.orderPrefix) ?? 0
        var page = OrderDetailPage(
            chrome: try await self.shell.chrome("Order \(order.number)", context, store: store, request: request),
            store: store, order: order,
            events: try await self.admin.events(orderID: id), alerts: alerts, permissions: context.permissions
        )
        page.rows = AuditRow.rows(
            try await self.audit.entries(
                AuditFilter(storeID: store.id, objectType: "order", objectID: String(id), limit: 100)),
            store: store, showOrigin: context.permissions.contains(.readAudit))
        return self.shell.render(page, status: status)
    }
}
