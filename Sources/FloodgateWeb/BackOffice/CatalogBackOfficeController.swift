import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird

/// Owners edit the catalog: products, their composition, prices, availability and photos.
///
/// Every change drops the store's rendered pages, so the storefront shows it on the next request.
struct CatalogBackOfficeController: Sendable {
    let shell: BackOfficeShell
    let catalog: any CatalogRepository
    let audit: any AuditLog
    /// Where uploaded photos are written; served under `/photos` with long cache headers.
    let photosDirectory: String

    static let maxPhotoBytes = 5 * 1024 * 1024

    func addRoutes(to store: StoreGroups) {
        let catalog = store.requiring(.editCatalog)
        catalog.get("products", use: self.list)
        catalog.get("products/:id", use: self.edit)
        catalog.post("products/:id", use: self.save)
        catalog.post("products/:id/photo", use: self.uploadPhoto)
    }

    @Sendable func list(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let page = ProductListPage(
            chrome: try await self.shell.chrome("Catalog", context, store: store, request: request), store: store,
            products: try await self.catalog.products(storeID: store.id)
        )
        return self.shell.render(page)
    }

    @Sendable func edit(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let product = try await self.product(store: store, context: context)
        var page = ProductEditPage(
            chrome: try await self.shell.chrome("Catalog", context, store: store, request: request), store: store,
            product: product,
            values: product.map(ProductEditPage.Values.init) ?? .init()
        )
        if let product {
            page.rows = AuditRow.rows(
                try await self.audit.entries(
                    AuditFilter(storeID: store.id, objectType: "product", objectID: String(product.id), limit: 50)),
                store: store, showOrigin: context.permissions.contains(.readAudit))
        }
        return self.shell.render(page)
    }

    @Sendable func save(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let existing = try await self.product(store: store, context: context)
        let form = try await BackOfficeForm.read(request, context: context)
        var values = ProductEditPage.Values()
        values.name = form["name"] ?? ""
        values.description = form["description"] ?? ""
        values.price = form["price"] ?? ""
        values.composition = form["composition"] ?? ""
        values.available = form["available"] == "yes"
        do {
            var product = try ProductForm.validated(values, currency: store.currency)
            product.id = existing?.id ?? 0
            product.photos = existing?.photos ?? []
            let saved = try await self.catalog.save([product], storeID: store.id, by: context.actor, summary: nil)
            self.shell.views.invalidate(store: store)
            return BackOfficeShell.redirect("/admin/\(store.slug)/products/\(saved[0].id)", done: .productSaved)
        } catch CheckoutError.validation(let errors) {
            let page = ProductEditPage(
                chrome: try await self.shell.chrome("Catalog", context, store: store), store: store, product: existing,
                values: values, errors: errors)
            return self.shell.render(page, status: .unprocessableContent)
        }
    }

    @Sendable func uploadPhoto(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        guard var product = try await self.product(store: store, context: context) else {
            throw Problem.notFound("There is no such product.")
        }
        let form = try await MultipartForm.read(request, context: context, maxSize: Self.maxPhotoBytes + 64 * 1024)
        func refuse(_ message: String) async throws -> Response {
            let page = ProductEditPage(
                chrome: try await self.shell.chrome("Catalog", context, store: store), store: store, product: product,
                values: .init(product),
                errors: [FieldError(field: "name", message: message)]
            )
            return self.shell.render(page, status: .unprocessableContent)
        }
        guard let file = form.files["photo"], !file.bytes.isEmpty else {
            return try await refuse("Choose a photo to upload.")
        }
        guard file.bytes.count <= Self.maxPhotoBytes else { return try await refuse("The photo is larger than 5 MB.") }
        // The bytes decide the type, not the name or the browser's claim.
        guard let ext = PhotoType.detect(file.bytes) else {
            return try await refuse("Upload a JPEG, PNG or WebP photo.")
        }
        let folder = URL(fileURLWithPath: self.photosDirectory).appendingPathComponent(store.slug)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A new name for every upload: browsers and CDNs may cache a photo for a week.
        let name = "\(product.id)-\(RandomToken.hex(words: 1)).\(ext)"
        try Data(file.bytes).write(to: folder.appendingPathComponent(name), options: .atomic)
        product.photos.insert("/photos/\(store.slug)/\(name)", at: 0)
        _ = try await self.catalog.save([product], storeID: store.id, by: context.actor, summary: nil)
        self.shell.views.invalidate(store: store)
        return BackOfficeShell.redirect("/admin/\(store.slug)/products/\(product.id)", done: .photoAdded)
    }

    private func product(store: Store, context: StaffRequestContext) async throws -> Product? {
        let raw = context.parameters.get("id") ?? ""
        if raw == "new" { return nil }
        guard let id = Int(raw), let product = try await self.catalog.product(storeID: store.id, id: id) else {
            throw Problem.notFound("There is no product \(raw) in \(store.name).")
        }
        return product
    }
}

/// The product form, checked: every problem at once, by field.
enum ProductForm {
    static func validated(_ values: ProductEditPage.Values, currency: String) throws(CheckoutError) -> Product {
        var errors: [FieldError] = []
        let name = values.name.trimmingSpaces
        if name.isEmpty { errors.append(FieldError(field: "name", message: "A product needs a name.")) }
        if name.count > 200 { errors.append(FieldError(field: "name", message: "At most 200 characters.")) }
        let price = CatalogCSV.minorUnits(values.price)
        if price == nil { errors.append(FieldError(field: "price", message: "Write the price like 4500 or 4500.50.")) }
        var composition: [CompositionLine] = []
        for line in values.composition.split(whereSeparator: \.isNewline).map(String.init)
        where !line.trimmingSpaces.isEmpty {
            guard let part = CompositionLine(parsing: line) else {
                errors.append(
                    FieldError(
                        field: "composition", message: "Write “item | colour | quantity”: \(line.trimmingSpaces)"))
                continue
            }
            composition.append(part)
        }
        guard errors.isEmpty else { throw .validation(errors) }
        return Product(
            id: 0, storeID: 0, name: name, description: values.description.replacing("\r\n", with: "\n").trimmingSpaces,
            price: Money(minorUnits: price ?? 0, currency: currency), available: values.available, photos: [],
            composition: composition
        )
    }
}

/// Image types accepted for product photos, told by their first bytes.
enum PhotoType {
    static func detect(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "jpg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "webp"
        }
        return nil
    }
}
