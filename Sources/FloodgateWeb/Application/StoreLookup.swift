import FloodgateCore
import FloodgateStore
import Hummingbird

/// Finds the store a `/s/{store}/…` or `/api/v1/stores/{store}/…` request is for.
struct StoreLookup: Sendable {
    let stores: any StoreRepository

    func store(for context: some RequestContext) async throws -> Store {
        let slug = context.parameters.get("store") ?? ""
        guard let store = try await self.stores.find(slug: slug) else {
            throw Problem.notFound("There is no store called '\(slug)'.")
        }
        return store
    }
}

extension RequestContext {
    /// A positive integer path parameter; anything else means the thing does not exist.
    func id(_ name: String, _ what: String) throws -> Int {
        let raw = self.parameters.get(name) ?? ""
        guard let id = Int(raw), id > 0 else { throw Problem.notFound("There is no \(what) '\(raw)'.") }
        return id
    }
}
