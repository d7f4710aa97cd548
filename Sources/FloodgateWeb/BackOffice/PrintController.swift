import FloodgateCore
import FloodgateStore
import Hummingbird

/// Printable pages: florists' assembly sheets (an order, a tour, a day) and a tour's courier manifest.
struct PrintController: Sendable {
    let shell: BackOfficeShell
    let orders: any OrderRepository
    let admin: any OrderAdminRepository
    let windows: any DeliveryWindowRepository
    let tours: any TourRepository

    func addRoutes(to store: StoreGroups) {
        let sheets = store.requiring(.viewOrders)
        sheets.get("orders/:number/sheet", use: self.orderSheet)
        sheets.get("tours/:tour/sheets", use: self.tourSheets)
        sheets.get("days/:date/sheets", use: self.daySheets)
        store.requiring(.deliverOrders).get("tours/:tour/manifest", use: self.manifest)
    }

    @Sendable func orderSheet(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let number = context.parameters.get("number") ?? ""
        guard let order = try await self.orders.find(store: store, number: number) else {
            throw Problem.notFound("There is no order \(number).")
        }
        return try await self.sheets(title: "Order \(order.number)", orders: [order], store: store, context: context)
    }

    @Sendable func tourSheets(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let tour = try await self.tour(store: store, context: context)
        return try await self.sheets(
            title: WindowLabel.long(tour), orders: try await self.admin.orders(windowID: tour.id), store: store,
            context: context)
    }

    @Sendable func daySheets(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        guard let date = context.parameters.get("date"), CivilDate(date) != nil else {
            throw Problem.notFound("That is not a date.")
        }
        return try await self.sheets(
            title: WindowLabel.day(date), orders: try await self.admin.orders(storeID: store.id, date: date),
            store: store, context: context)
    }

    @Sendable func manifest(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let tour = try await self.tour(store: store, context: context)
        async let orders = self.admin.orders(windowID: tour.id)
        async let zones = self.tours.zones(storeID: store.id)
        let page = ManifestPage(
            chrome: try await self.shell.chrome("Manifest", context, store: store), tour: tour, zones: try await zones,
            orders: try await orders
        )
        return self.shell.render(page)
    }

    private func sheets(
        title: String, orders: [Order], store: Store, context: StaffRequestContext
    ) async throws -> Response {
        self.shell.render(
            SheetsPage(
                chrome: try await self.shell.chrome("Assembly sheets", context, store: store), title: title,
                orders: orders))
    }

    private func tour(store: Store, context: StaffRequestContext) async throws -> DeliveryWindow {
        let id = try context.id("tour", "tour")
        guard let tour = try await self.windows.window(storeID: store.id, id: id) else {
            throw Problem.notFound("There is no tour \(id).")
        }
        return tour
    }
}
