import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird

/// `PATCH /api/v1/admin/stores/{store}/products/{id}`: change a price or mark a product sold out, and see
/// it on the shop's pages at once (this process's page cache is dropped; other instances within their
/// cache time).
struct AdminCatalogController: Sendable {
    let catalog: any CatalogRepository
    let views: Views

    func addRoutes(to store: RouterGroup<AppRequestContext>) {
        store.patch("products/:id", use: self.updateProduct)
    }

    @Sendable func updateProduct(_ request: Request, context: AppRequestContext) async throws -> ProductDocument {
        let store = try context.requireStore()
        let id = try context.id("id", "product")
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let change = try OrderBodyDecoder.decode(Body.self, Data(buffer: body)).change
        let problems = change.problems()
        guard problems.isEmpty else { throw Problem.validation(problems) }
        guard
            let product = try await self.catalog.update(
                storeID: store.id, id: id, change: change, by: context.adminActor)
        else {
            throw Problem.notFound("There is no product \(id) in \(store.name).")
        }
        self.views.invalidate(store: store)
        return ProductDocument(product)
    }

    /// The PATCH body. A field that is sent must hold a value: `"available": null` is refused (422), not read as
    /// "leave it as it is", which only leaving the field out means.
    struct Body: Decodable {
        let change: ProductChange

        enum CodingKeys: String, CodingKey {
            case price, available
        }

        init(from decoder: any Decoder) throws {
            let body = try decoder.container(keyedBy: CodingKeys.self)
            // `decode`, not `decodeIfPresent`: a null fails as a missing value, and the answer names the field.
            let price = try body.contains(.price) ? body.decode(Int.self, forKey: .price) : nil
            let available = try body.contains(.available) ? body.decode(Bool.self, forKey: .available) : nil
            self.change = ProductChange(price: price, available: available)
        }
    }
}
