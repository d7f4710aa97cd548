import FloodgateCore
import FloodgateStore
import Hummingbird

/// Tours, their capacities and waiting lists (everyone sees them; owners change them), and the zones and
/// weekly templates tours come from (owners).
struct DeliveryBackOfficeController: Sendable {
    let shell: BackOfficeShell
    let tours: any TourRepository
    let windows: any DeliveryWindowRepository
    let waitlists: any WaitlistRepository
    let daysAhead: Int

    func addRoutes(to store: StoreGroups) {
        store.requiring(.seeDay).get("tours", use: self.list)
        // Who waits: customers' emails.
        store.requiring(.viewOrders).get("tours/:tour/waitlist", use: self.waitlist)
        let delivery = store.requiring(.editDelivery)
        delivery.post("tours", use: self.create)
        delivery.post("tours/generate", use: self.generate)
        delivery.post("tours/:tour/capacity", use: self.capacity)
        delivery.get("delivery", use: self.delivery)
        delivery.post("zones", use: self.saveZone)
        delivery.post("templates", use: self.saveTemplate)
    }

    @Sendable func list(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        return try await self.toursPage(store: store, context: context, request: request)
    }

    @Sendable func create(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let form = try await BackOfficeForm.read(request, context: context)
        let draft = ToursPage.Draft(
            date: form["date"] ?? "", from: form["from"] ?? "", to: form["to"] ?? "", capacity: form["capacity"] ?? "",
            cutoff: form["cutoff"] ?? ""
        )
        var errors: [String] = []
        if CivilDate(draft.date) == nil { errors.append("Give the tour's date.") }
        if !Self.isTime(draft.from) || !Self.isTime(draft.to) || draft.from >= draft.to {
            errors.append("Give the times as 09:00 and 13:00, the start first.")
        }
        let capacity = Int(draft.capacity) ?? -1
        if !(0...10_000).contains(capacity) { errors.append("The capacity is a number of orders, 0 to 10000.") }
        // `datetime-local` sends 2026-02-13T18:00.
        let cutoff = draft.cutoff.isEmpty ? nil : draft.cutoff.replacing("T", with: " ")
        if let cutoff,
            cutoff.count != 16 || CivilDate(String(cutoff.prefix(10))) == nil || !Self.isTime(String(cutoff.suffix(5)))
        {
            errors.append(
                "Give the order cut-off as a date and time, or leave it empty (orders stop when the tour starts).")
        }
        guard errors.isEmpty else {
            return try await self.toursPage(
                store: store, context: context, draft: draft, errors: errors, status: .unprocessableContent)
        }
        let zones = try await self.tours.zones(storeID: store.id).filter { form["zone\($0.id)"] == "on" }.map(\.id)
        _ = try await self.tours.createTour(
            DeliveryWindow(
                id: 0, storeID: store.id, date: draft.date, from: draft.from, to: draft.to, capacity: capacity,
                reserved: 0, cutoff: cutoff, zoneIDs: zones), by: context.actor
        )
        return BackOfficeShell.redirect("/admin/\(store.slug)/tours", done: .tourAdded)
    }

    @Sendable func capacity(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let form = try await BackOfficeForm.read(request, context: context)
        let id = try context.id("tour", "tour")
        guard let capacity = form["capacity"].flatMap({ Int($0) }), (0...10_000).contains(capacity) else {
            return try await self.toursPage(
                store: store, context: context, errors: ["The capacity is a number of orders, 0 to 10000."],
                status: .unprocessableContent)
        }
        guard
            try await self.tours.setCapacity(storeID: store.id, tourID: id, capacity: capacity, by: context.actor)
                != nil
        else {
            throw Problem.notFound("There is no tour \(id).")
        }
        return BackOfficeShell.redirect("/admin/\(store.slug)/tours", done: .capacityChanged)
    }

    @Sendable func generate(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        _ = try await BackOfficeForm.read(request, context: context)
        _ = try await self.tours.generateTours(store: store, days: self.daysAhead, by: context.actor)
        return BackOfficeShell.redirect("/admin/\(store.slug)/delivery", done: .toursGenerated)
    }

    @Sendable func waitlist(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let id = try context.id("tour", "tour")
        guard let tour = try await self.windows.window(storeID: store.id, id: id) else {
            throw Problem.notFound("There is no tour \(id).")
        }
        let page = WaitlistAdminPage(
            chrome: try await self.shell.chrome("Waiting list", context, store: store, request: request), store: store,
            tour: tour,
            entries: try await self.waitlists.entries(windowID: id)
        )
        return self.shell.render(page)
    }

    @Sendable func delivery(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        return try await self.deliveryPage(store: store, context: context, request: request)
    }

    @Sendable func saveZone(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let form = try await BackOfficeForm.read(request, context: context)
        let name = (form["name"] ?? "").trimmingSpaces
        let codes = Zone.parse(postcodes: form["postcodes"] ?? "")
        let fee = (form["fee"] ?? "").trimmingSpaces.isEmpty ? 0 : CatalogCSV.minorUnits(form["fee"] ?? "")
        var errors: [String] = []
        if name.isEmpty || name.count > 100 { errors.append("A zone needs a name (up to 100 characters).") }
        if codes.isEmpty { errors.append("List the postcodes or districts the zone covers.") }
        if fee == nil { errors.append("Write the delivery fee like 300 or 300.50 (or leave it empty).") }
        guard errors.isEmpty else {
            return try await self.deliveryPage(
                store: store, context: context, errors: errors, status: .unprocessableContent)
        }
        let id = Int(form["id"] ?? "") ?? 0
        if id != 0, !(try await self.tours.zones(storeID: store.id).contains { $0.id == id }) {
            throw Problem.notFound("There is no zone \(id).")
        }
        _ = try await self.tours.saveZone(
            Zone(id: id, storeID: store.id, name: name, postcodes: codes, fee: fee ?? 0), by: context.actor)
        return BackOfficeShell.redirect("/admin/\(store.slug)/delivery", done: .zoneSaved)
    }

    @Sendable func saveTemplate(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let form = try await BackOfficeForm.read(request, context: context)
        let days = (1...7).filter { form["day\($0)"] == "on" }
        let (from, to, cutoffTime) = (form["from"] ?? "", form["to"] ?? "", form["cutoff_time"] ?? "")
        let capacity = Int(form["capacity"] ?? "") ?? -1
        let cutoffDays = Int(form["cutoff_days"] ?? "") ?? -1
        var errors: [String] = []
        if days.isEmpty { errors.append("Choose the days of the week the tour runs.") }
        if !Self.isTime(from) || !Self.isTime(to) || from >= to {
            errors.append("Give the times as 09:00 and 13:00, the start first.")
        }
        if !(0...10_000).contains(capacity) { errors.append("The capacity is a number of orders, 0 to 10000.") }
        if !(0...14).contains(cutoffDays) || !Self.isTime(cutoffTime) {
            errors.append("Give the cut-off as days before (0 to 14) and a time.")
        }
        guard errors.isEmpty else {
            return try await self.deliveryPage(
                store: store, context: context, errors: errors, status: .unprocessableContent)
        }
        let zones = try await self.tours.zones(storeID: store.id).filter { form["zone\($0.id)"] == "on" }.map(\.id)
        _ = try await self.tours.saveTemplate(
            TourTemplate(
                id: 0, storeID: store.id, weekdays: days, from: from, to: to, capacity: capacity, zoneIDs: zones,
                cutoffDaysBefore: cutoffDays, cutoffTime: cutoffTime), by: context.actor
        )
        _ = try await self.tours.generateTours(store: store, days: self.daysAhead, by: context.actor)
        return BackOfficeShell.redirect("/admin/\(store.slug)/delivery", done: .templateSaved)
    }

    private func toursPage(
        store: Store, context: StaffRequestContext, request: Request? = nil, draft: ToursPage.Draft = .init(),
        errors: [String] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let today = LocalTime.now(in: store.timeZone).date
        let end = CivilDate(today).map { $0.adding(days: 14).description } ?? today
        async let tours = self.tours.tours(storeID: store.id, from: today, to: end)
        async let zones = self.tours.zones(storeID: store.id)
        async let waiting = self.waitlists.lengths(storeID: store.id, fromDate: today)
        let page = ToursPage(
            chrome: try await self.shell.chrome("Tours", context, store: store, request: request), store: store,
            tours: try await tours,
            zones: try await zones, waiting: try await waiting, draft: draft, errors: errors
        )
        return self.shell.render(page, status: status)
    }

    private func deliveryPage(
        store: Store, context: StaffRequestContext, request: Request? = nil, errors: [String] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        async let zones = self.tours.zones(storeID: store.id)
        async let templates = self.tours.templates(storeID: store.id)
        let page = DeliveryPage(
            chrome: try await self.shell.chrome("Zones & templates", context, store: store, request: request),
            store: store,
            zones: try await zones, templates: try await templates, daysAhead: self.daysAhead, errors: errors
        )
        return self.shell.render(page, status: status)
    }

    /// `HH:MM`, 00:00 to 23:59.
    static func isTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]),
            let minute = Int(parts[1])
        else { return false }
        return (0...23).contains(hour) && (0...59).contains(minute)
    }
}
