import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Logging
import Testing

/// Placing orders through the engine's own writer, as the shop wires it, with no HTTP in between.
@Suite("Order writers on both engines")
struct OrderWriterTests {
    /// A migrated database of `engine` with the demo shops, its repositories as the shop builds them, and the
    /// `petals` store with an open tour and an available product.
    static func withShop(
        _ engine: TestEngine,
        _ body: (Database, Repositories, Store, _ window: DeliveryWindow, _ product: Product) async throws -> Void
    ) async throws {
        try await engine.withScratch { directory, url in
            let logger = Logger(label: "test")
            try await Database.withOpened(url, logger: logger) { database in
                try await Migrator(database: database).migrate(logger: logger)
                _ = try await DemoData(
                    database: database, photosDirectory: directory.appendingPathComponent("photos").path
                ).loadIfEmpty(logger: logger)
                let repositories = Repositories.sql(
                    database: database, settings: StoreSettings(dataDirectory: directory.path, database: url))
                let store = try #require(try await repositories.stores.find(slug: "petals"))
                let window = try #require(
                    try await repositories.windows.open(for: store).first { $0.remaining > 0 && $0.zoneIDs.isEmpty })
                let product = try #require(
                    try await repositories.catalog.products(storeID: store.id).first { $0.available })
                try await body(database, repositories, store, window, product)
            }
        }
    }

    static func request(
        window: DeliveryWindow, product: Product, quantity: Int = 2, message: String = ""
    ) throws -> OrderRequest {
        try OrderRequest.Draft(
            items: [.init(product: product.id, quantity: quantity)],
            customer: .init(name: "Anna Petrova", phone: "+7 495 123-45-67", email: "anna@example.com"),
            recipient: .init(name: "Olga Ivanova", phone: "+7 916 555-12-34", address: "Tverskaya 7"),
            deliveryWindow: window.id,
            cardMessage: message
        ).validated()
    }

    @Test(
        "An order is written with its lines, jobs and key; the same key replays it, another request with it is refused",
        arguments: TestEngine.available)
    func placeAndReplay(engine: TestEngine) async throws {
        try await Self.withShop(engine) { database, repositories, store, window, product in
            let writer = repositories.orderWriter
            #expect(
                engine == .sqlite ? writer is SQLiteOrderWriter : writer is PostgresOrderWriter,
                "each engine's own writer")
            let request = try Self.request(window: window, product: product)
            let key = IdempotencyKey(key: "writer-1", requestHash: "hash-1")
            let placed = try await writer.place(request, in: store, idempotency: key)
            #expect(!placed.replayed && placed.order.number.hasPrefix(store.orderPrefix + "-"))
            #expect(placed.order.total.minorUnits == product.price.minorUnits * 2)
            let stored = try #require(try await repositories.orders.find(store: store, number: placed.order.number))
            #expect(stored == placed.order, "what was answered is what was written")
            #expect(try await database.scalar("SELECT COUNT(*) FROM jobs") == JobKind.forOrder(in: store).count)
            #expect(
                try await database.scalar("SELECT reserved FROM delivery_windows WHERE id = \(window.id)") == window
                    .reserved + 1)

            let replayed = try await writer.place(request, in: store, idempotency: key)
            #expect(replayed.replayed && replayed.order.number == placed.order.number)
            await #expect(throws: CheckoutError.idempotencyKeyReused) {
                try await writer.place(
                    try Self.request(window: window, product: product, quantity: 3), in: store,
                    idempotency: IdempotencyKey(key: "writer-1", requestHash: "hash-2")
                )
            }
            #expect(try await database.scalar("SELECT COUNT(*) FROM orders") == 1)
        }
    }

    @Test("A full tour and a sold-out product are refused, and nothing is written", arguments: TestEngine.available)
    func refusals(engine: TestEngine) async throws {
        try await Self.withShop(engine) { database, repositories, store, window, product in
            let writer = repositories.orderWriter
            try await database.execute("UPDATE delivery_windows SET capacity = reserved + held WHERE id = \(window.id)")
            await #expect(throws: CheckoutError.windowFull(windowID: window.id)) {
                try await writer.place(
                    try Self.request(window: window, product: product), in: store,
                    idempotency: IdempotencyKey(key: "full", requestHash: "h"))
            }
            try await database.execute("UPDATE delivery_windows SET capacity = capacity + 5 WHERE id = \(window.id)")
            try await database.execute("UPDATE products SET available = 0 WHERE id = \(product.id)")
            await #expect(throws: CheckoutError.productUnavailable([product.name])) {
                try await writer.place(
                    try Self.request(window: window, product: product), in: store,
                    idempotency: IdempotencyKey(key: "sold", requestHash: "h"))
            }
            for table in ["orders", "order_lines", "order_search", "idempotency_keys", "jobs"] {
                #expect(try await database.scalar("SELECT COUNT(*) FROM \(table)") == 0, "\(table) is untouched")
            }
        }
    }
}
