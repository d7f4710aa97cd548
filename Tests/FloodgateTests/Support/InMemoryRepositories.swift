import FloodgateCore
import FloodgateStore
import Synchronization

/// Stores kept in memory: a controller's test needs no database.
final class InMemoryStores: StoreRepository {
    private let stores: [Store]

    init(_ stores: [Store]) { self.stores = stores }

    func all() async throws -> [Store] { self.stores }
    func find(slug: String) async throws -> Store? { self.stores.first { $0.slug == slug } }
}

/// A catalog kept in memory, changed as the SQL one is (price and availability; saving replaces by id).
final class InMemoryCatalog: CatalogRepository {
    private let products: Mutex<[Product]>

    init(_ products: [Product]) { self.products = Mutex(products) }

    func products(storeID: Int) async throws -> [Product] {
        self.products.withLock { $0.filter { $0.storeID == storeID }.sorted { $0.id < $1.id } }
    }

    func product(storeID: Int, id: Int) async throws -> Product? {
        self.products.withLock { $0.first { $0.storeID == storeID && $0.id == id } }
    }

    func products(storeID: Int, ids: [Int]) async throws -> [Product] {
        self.products.withLock { $0.filter { $0.storeID == storeID && ids.contains($0.id) } }
    }

    func update(storeID: Int, id: Int, change: ProductChange, by actor: Actor) async throws -> Product? {
        self.products.withLock { products in
            guard let index = products.firstIndex(where: { $0.storeID == storeID && $0.id == id }) else { return nil }
            if let price = change.price {
                products[index].price = Money(minorUnits: price, currency: products[index].price.currency)
            }
            if let available = change.available { products[index].available = available }
            return products[index]
        }
    }

    func save(
        _ saved: [Product], storeID: Int, by actor: Actor, summary: AuditEntry?
    ) async throws -> [Product] {
        self.products.withLock { products in
            for product in saved {
                products.removeAll { $0.storeID == storeID && $0.id == product.id }
                products.append(product)
            }
            return saved
        }
    }
}

/// Delivery windows kept in memory.
final class InMemoryWindows: DeliveryWindowRepository {
    private let windows: [DeliveryWindow]

    init(_ windows: [DeliveryWindow]) { self.windows = windows }

    func windows(storeID: Int, fromDate: String) async throws -> [DeliveryWindow] {
        self.windows.filter { $0.storeID == storeID && $0.date >= fromDate }.sorted {
            ($0.date, $0.from) < ($1.date, $1.from)
        }
    }

    func window(storeID: Int, id: Int) async throws -> DeliveryWindow? {
        self.windows.first { $0.storeID == storeID && $0.id == id }
    }
}
