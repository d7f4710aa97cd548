import FloodgateCore
import FloodgateStore
import Foundation

/// What an order's job is about: the order's row id in its payload (`JobKind.orderPayload`), then the
/// order and its store as they are now. Shared by every handler of an order's jobs.
enum OrderJobSubject {
    private struct Payload: Decodable {
        let order: Int
    }

    static func orderID(of job: Job) throws -> Int {
        try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)).order
    }

    static func load(
        orderID: Int, orders: any OrderRepository, stores: any StoreRepository
    ) async throws -> (Order, Store) {
        guard let order = try await orders.order(id: orderID) else { throw HandlerError.missing("order \(orderID)") }
        guard let store = try await stores.all().first(where: { $0.id == order.storeID }) else {
            throw HandlerError.missing("store \(order.storeID)")
        }
        return (order, store)
    }
}
