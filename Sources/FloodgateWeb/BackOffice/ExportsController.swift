import Crypto
import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird

/// Owners take orders out as CSV (by delivery date) and the catalog out and back in. An import is checked
/// row by row first; with any problem nothing is applied and every problem is named by its line.
struct ExportsController: Sendable {
    let shell: BackOfficeShell
    let catalog: any CatalogRepository
    let admin: any OrderAdminRepository

    static let maxImportBytes = 2 * 1024 * 1024

    func addRoutes(to store: StoreGroups) {
        store.requiringAny([.exportOrders, .editCatalog]).get("exports", use: self.page)
        store.requiring(.exportOrders).get("exports/orders.csv", use: self.ordersCSV)
        let catalog = store.requiring(.editCatalog)
        catalog.get("exports/catalog.csv", use: self.catalogCSV)
        catalog.post("exports/catalog", use: self.importCatalog)
    }

    @Sendable func page(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        return self.shell.render(
            ExportsPage(
                chrome: try await self.shell.chrome("Import & export", context, store: store, request: request),
                store: store))
    }

    /// Streamed a page of orders at a time: a season's export never sits whole in memory.
    @Sendable func ordersCSV(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let query = request.uri.queryParameters
        guard let from = query.get("from").flatMap(CivilDate.init), let to = query.get("to").flatMap(CivilDate.init),
            from <= to
        else {
            throw Problem(
                "bad-request", status: .badRequest, title: "Choose the dates",
                detail: "Give from and to as dates (from before to).")
        }
        let admin = self.admin
        let header = [
            "number", "status", "placed_at", "delivery_date", "delivery_from", "delivery_to", "customer_name",
            "customer_phone",
            "customer_email", "recipient_name", "recipient_phone", "address", "postcode", "card_message", "items",
            "delivery_fee", "total", "currency",
        ]
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: CSV.line(header)))
            var after = 0
            while true {
                let orders = try await admin.orders(
                    storeID: store.id, fromDate: from.description, toDate: to.description, afterID: after, limit: 500)
                guard let last = orders.last else { break }
                var chunk = ""
                for order in orders {
                    chunk += CSV.line([
                        order.number, order.status.rawValue, AdminTime.format(order.createdAt, in: store.timeZone),
                        order.deliveryWindow.date,
                        order.deliveryWindow.from, order.deliveryWindow.to, order.customer.name, order.customer.phone,
                        order.customer.email,
                        order.recipient.name, order.recipient.phone, order.recipient.address, order.recipient.postcode,
                        order.cardMessage,
                        order.lines.map { "\($0.name) × \($0.quantity)" }.joined(separator: "; "),
                        CatalogCSV.price(order.deliveryFee),
                        CatalogCSV.price(order.total.minorUnits), order.total.currency,
                    ])
                }
                try await writer.write(ByteBuffer(string: chunk))
                after = OrderNumber.id(in: last.number, prefix: store.orderPrefix) ?? Int.max
                if orders.count < 500 { break }
            }
            try await writer.finish(nil)
        }
        return Self.download(body, name: "\(store.slug)-orders-\(from)-\(to).csv")
    }

    @Sendable func catalogCSV(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let text = CatalogCSV.export(try await self.catalog.products(storeID: store.id))
        return Self.download(ResponseBody(byteBuffer: ByteBuffer(string: text)), name: "\(store.slug)-catalog.csv")
    }

    @Sendable func importCatalog(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let form = try await MultipartForm.read(request, context: context, maxSize: Self.maxImportBytes)
        func refuse(_ errors: [String]) async throws -> Response {
            let page = ExportsPage(
                chrome: try await self.shell.chrome("Import & export", context, store: store), store: store,
                errors: errors)
            return self.shell.render(page, status: .unprocessableContent)
        }
        guard let file = form.files["file"], !file.bytes.isEmpty else {
            return try await refuse(["Choose a CSV file to import."])
        }
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            return try await refuse(["Save the file as CSV in UTF-8 and try again."])
        }
        let known = Set(try await self.catalog.products(storeID: store.id).map(\.id))
        let rows: [CatalogCSV.Row]
        do {
            rows = try CatalogCSV.parse(text, storeID: store.id, currency: store.currency, knownIDs: known)
        } catch {
            return try await refuse(error.rows.map(\.description))
        }
        do {
            // One transaction: a product deleted meanwhile fails the whole file, not half of it.
            let added = rows.filter { $0.product.id == 0 }.count
            let summary = AuditEntry(
                "catalog.import", object: "catalog", id: store.slug, storeID: store.id,
                details: [
                    "rows": AuditChange(after: String(rows.count)), "added": AuditChange(after: String(added)),
                    "file": AuditChange(after: file.filename), "bytes": AuditChange(after: String(file.bytes.count)),
                    "sha256": AuditChange(after: HexDigits.encode(SHA256.hash(data: file.bytes))),
                ])
            _ = try await self.catalog.save(
                rows.map(\.product), storeID: store.id, by: context.actor, summary: summary)
        } catch CatalogError.unknownProduct(let id) {
            let line = rows.first { $0.product.id == id }?.line ?? 0
            return try await refuse([
                CatalogCSV.RowError(line: line, column: "id", message: "Product \(id) no longer exists.").description
            ])
        }
        self.shell.views.invalidate(store: store)
        return BackOfficeShell.redirect("/admin/\(store.slug)/exports", done: .catalogImported)
    }

    static func download(_ body: ResponseBody, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"",
            ],
            body: body
        )
    }
}
