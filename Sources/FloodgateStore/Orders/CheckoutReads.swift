import FloodgateCore
import PostgresKit
import SQLKit

/// What a checkout's checks read: the cart's products, the tour with the zones it serves, the store's zones.
protocol CheckoutReads: Sendable {
    func products(storeID: Int, ids: [Int]) async throws -> [Product]
    func window(storeID: Int, id: Int) async throws -> DeliveryWindow?
    func zones(storeID: Int) async throws -> [Zone]
}

extension CheckoutReads {
    /// Reads what `request` needs and prices and checks it (``Checkout``) at the store's wall-clock time `local`.
    /// The store's zones are read only for a tour that delivers to some areas.
    func checkout(for request: OrderRequest, in store: Store, at local: LocalTime) async throws -> Checkout {
        let products = try await self.products(storeID: store.id, ids: request.items.map(\.product))
        let window = try await self.window(storeID: store.id, id: request.deliveryWindow)
        let zones = Checkout.needsZones(window) ? try await self.zones(storeID: store.id) : []
        return try Checkout(request, products: products, window: window, zones: zones, at: local)
    }
}

/// The checks' reads through SQLKit, on either engine (inside the order's transaction on SQLite).
struct SQLCheckoutReads: CheckoutReads {
    let db: any SQLDatabase

    func products(storeID: Int, ids: [Int]) async throws -> [Product] {
        try await SQLCatalogRepository.products(storeID: storeID, ids: ids, on: self.db)
    }

    func window(storeID: Int, id: Int) async throws -> DeliveryWindow? {
        try await SQLDeliveryWindowRepository.window(storeID: storeID, id: id, on: self.db)
    }

    func zones(storeID: Int) async throws -> [Zone] {
        try await SQLTourRepository.zones(storeID: storeID, on: self.db)
    }
}

/// The checks' reads in PostgreSQL's checkout: the products and the tour as statements each connection prepares
/// once, like the order's write (``PlaceOrderStatement``). Sent as text, PostgreSQL would plan them on every
/// checkout, which costs it more than running them.
struct PreparedCheckoutReads: CheckoutReads {
    let session: PostgresSession

    func products(storeID: Int, ids: [Int]) async throws -> [Product] {
        try await self.session.run(Products(storeID: storeID, ids: ids))
    }

    func window(storeID: Int, id: Int) async throws -> DeliveryWindow? {
        try SQLDeliveryWindowRepository.window(
            rows: try await self.session.run(WindowWithZones(storeID: storeID, id: id)))
    }

    /// Only tours that deliver to some zones read them.
    func zones(storeID: Int) async throws -> [Zone] {
        try await SQLTourRepository.zones(storeID: storeID, on: self.session.sql)
    }

    // Names of their own: PostgreSQL cuts a name at 63 bytes, and the default (the type's full name) of two
    // private types cut there was the same name, refused as prepared already.
    private struct Products: PostgresPreparedStatement {
        static let name = "floodgate_checkout_products"
        // The columns `Product(row:)` reads, named: see ``SQLDeliveryWindowRepository/windowWithZones``.
        static let sql = """
            SELECT id, store_id, name, description, price, currency, available, photos, composition FROM products \
            WHERE store_id = $1 AND id = ANY($2)
            """
        let storeID: Int
        let ids: [Int]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(self.storeID)
            bindings.append(self.ids)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Product {
            try Product(row: row.sql())
        }
    }

    private struct WindowWithZones: PostgresPreparedStatement {
        static let name = "floodgate_checkout_window"
        static let sql = SQLDeliveryWindowRepository.windowWithZones.text()
        let storeID: Int
        let id: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(self.storeID)
            bindings.append(self.id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> any SQLRow {
            row.sql()
        }
    }
}
