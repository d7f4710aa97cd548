import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

/// PostgreSQL's checkout is priced and checked against the pages' caches first, and its write confirms what
/// that relied on (`PlaceShownOrderStatement`): one statement instead of three, and never an order from a stale memory.
@Suite("A checkout priced from memory, confirmed by its write")
struct ShownCatalogTests {
    @Test(
        "On PostgreSQL a checkout priced from a fresh memory is one statement, without a memory three",
        .enabled(if: TestEngine.available.contains(.postgres), "needs PostgreSQL (scripts/test starts one)")
    )
    func oneStatement() async throws {
        try await TestServer.run(.postgres, configure: { $0.role = .web }) { server in
            let database = server.database
            let store = try #require(try await SQLStoreRepository(database: database).find(slug: "petals"))
            let (product, window) = (try await server.firstAvailableProduct(), try await server.firstOpenWindow())
            let catalog = CachingCatalogRepository(SQLCatalogRepository(database: database), ttl: .seconds(60))
            let windows = CachingDeliveryWindowRepository(
                SQLDeliveryWindowRepository(database: database), ttl: .seconds(60))
            let remembering = PostgresOrderWriter(
                database: database, shown: ShownCatalog(catalog: catalog, windows: windows))
            let reading = PostgresOrderWriter(database: database)
            // The order the API would take: the test server's own order body, read as the API reads it.
            let body = try await server.orderBody(window: window, product: product, quantity: 2)
            let request = try JSONDecoder().decode(OrderRequest.Draft.self, from: Data(body.utf8)).validated()

            // The memory is filled by the first checkout that needs it; count from the second.
            _ = try await remembering.place(request, in: store, idempotency: Self.key("warm"))
            let (fromMemory, fromMemoryStatements) = try await Self.counted {
                try await remembering.place(request, in: store, idempotency: Self.key("memory"))
            }
            let (read, readStatements) = try await Self.counted {
                try await reading.place(request, in: store, idempotency: Self.key("read"))
            }
            #expect(fromMemoryStatements == 1)
            #expect(readStatements == 3)  // the products, the tour, the write
            #expect(fromMemory.order.lines == read.order.lines)
            #expect(fromMemory.order.total == read.order.total)

            // A price changed behind the memory's back (by another instance, say): the write refuses the memory's
            // price, and the checkout reads the database and charges the new one.
            try await database.execute("UPDATE products SET price = price + 700 WHERE id = \(product)")
            let (repriced, repricedStatements) = try await Self.counted {
                try await remembering.place(request, in: store, idempotency: Self.key("repriced"))
            }
            #expect(repricedStatements == 4)
            #expect(repriced.order.lines.first?.unitPrice == (read.order.lines.first?.unitPrice ?? 0) + 700)

            // The same key again is the first answer, from memory as from the database.
            let replayed = try await remembering.place(request, in: store, idempotency: Self.key("memory"))
            #expect(replayed.replayed && replayed.order.number == fromMemory.order.number)
        }
    }

    @Test(
        "A stale memory never sells: price, photo, availability, cut-off, zones and places are the database's",
        arguments: TestEngine.available
    )
    func staleMemory(engine: TestEngine) async throws {
        // A minute-long cache: everything changed below is changed behind the running shop's memory.
        try await TestServer.run(
            engine,
            configure: {
                $0.role = .web
                $0.store.catalogCacheTTL = .seconds(60)
            }
        ) { server in
            let (product, window) = (try await server.firstAvailableProduct(), try await server.firstOpenWindow())
            let database = server.database
            func order(_ key: String, postcode: String? = nil) async throws -> TestResponse {
                let text = try await server.orderBody(window: window, product: product)
                var body = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
                if let postcode {
                    body["recipient"] = [
                        "name": "Oleg", "phone": "+7 903 000-11-22", "address": "Lenina 1", "postcode": postcode,
                    ]
                }
                let changed = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
                return try await server.postJSON("/api/v1/stores/petals/orders", changed, key: key)
            }
            func line(_ placed: TestResponse) -> [String: Any] {
                (placed.object["lines"] as? [[String: Any]])?.first ?? [:]
            }
            let price = try await database.scalar("SELECT price FROM products WHERE id = \(product)")
            let first = try await order("first")
            #expect(first.status == 201, "\(first.body)")
            #expect(line(first)["unitPrice"] as? Int == price)

            // Each change is undone before the next, so the memory is wrong about one thing at a time.
            try await database.execute("UPDATE products SET price = \(price + 700) WHERE id = \(product)")
            let repriced = try await order("repriced")
            #expect(repriced.status == 201, "\(repriced.body)")
            #expect(line(repriced)["unitPrice"] as? Int == price + 700)
            try await database.execute("UPDATE products SET price = \(price) WHERE id = \(product)")

            let photos = try await database.strings("SELECT photos FROM products WHERE id = \(product)")[0]
            try await database.execute(
                "UPDATE products SET photos = '[\"/photos/petals/new.svg\"]' WHERE id = \(product)")
            let rephotographed = try await order("rephotographed")
            #expect(rephotographed.status == 201, "\(rephotographed.body)")
            #expect(line(rephotographed)["photo"] as? String == "/photos/petals/new.svg")
            try await database.execute("UPDATE products SET photos = '\(photos)' WHERE id = \(product)")

            for (column, value, shown) in [
                ("name", "'Renamed'", "Renamed" as Any), ("composition", "'[]'", [Any]() as Any),
            ] {
                let before = try await database.strings("SELECT \(column) FROM products WHERE id = \(product)")[0]
                try await database.execute("UPDATE products SET \(column) = \(value) WHERE id = \(product)")
                let changed = try await order("changed-\(column)")
                #expect(changed.status == 201, "\(changed.body)")
                #expect("\(line(changed)[column] ?? "none")" == "\(shown)", "\(changed.body)")
                let quoted = before.replacingOccurrences(of: "'", with: "''")
                try await database.execute("UPDATE products SET \(column) = '\(quoted)' WHERE id = \(product)")
            }

            // A tour moved to another day, or given other hours: the order's snapshot is the tour as it is now.
            let (date, to) = (
                try await database.strings("SELECT date FROM delivery_windows WHERE id = \(window)")[0], "23:59"
            )
            try await database.execute("UPDATE delivery_windows SET date = '2099-12-31' WHERE id = \(window)")
            let moved = try await order("moved")
            #expect(
                (moved.object["deliveryWindow"] as? [String: Any])?["date"] as? String == "2099-12-31", "\(moved.body)")
            try await database.execute(
                "UPDATE delivery_windows SET date = '\(date)', time_to = '\(to)' WHERE id = \(window)")
            let longer = try await order("longer")
            #expect((longer.object["deliveryWindow"] as? [String: Any])?["to"] as? String == to, "\(longer.body)")

            // Every refusal below writes nothing: no order, no place taken.
            let reservedQuery = "SELECT reserved FROM delivery_windows WHERE id = \(window)"
            let (orders, reserved) = (try await server.orderCount, try await database.scalar(reservedQuery))
            try await database.execute("UPDATE products SET available = 0 WHERE id = \(product)")
            #expect(try await order("sold-out").status == 409)
            try await database.execute("UPDATE products SET available = 1 WHERE id = \(product)")

            try await database.execute("UPDATE delivery_windows SET cutoff = '2000-01-01 00:00' WHERE id = \(window)")
            let closed = try await order("closed")
            #expect(closed.status == 422 && closed.body.contains("takes no more orders"), "\(closed.body)")
            try await database.execute("UPDATE delivery_windows SET cutoff = NULL WHERE id = \(window)")

            try await database.execute("UPDATE delivery_windows SET capacity = reserved + held WHERE id = \(window)")
            #expect(try await order("full").status == 409)
            #expect(try await server.orderCount == orders)
            #expect(try await database.scalar(reservedQuery) == reserved)
            try await database.execute("UPDATE delivery_windows SET capacity = capacity + 1 WHERE id = \(window)")

            let tours = SQLTourRepository(database: database)
            let north = try await tours.saveZone(
                Zone(id: 0, storeID: 1, name: "North", postcodes: ["101*"], fee: 30_000), by: .system)
            try await database.execute("INSERT INTO tour_zones (window_id, zone_id) VALUES (\(window), \(north.id))")
            let elsewhere = try await order("elsewhere", postcode: "8620")
            #expect(elsewhere.status == 422, "\(elsewhere.body)")
            #expect(try await server.orderCount == orders)

            // With the right postcode, the zone's fee is charged: the memory knew nothing of the zone.
            let zoned = try await order("zoned", postcode: "101000")
            #expect(zoned.status == 201, "\(zoned.body)")
            #expect(zoned.object["total"] as? Int == price + 30_000)
        }
    }

    private static func key(_ key: String) -> IdempotencyKey {
        IdempotencyKey(key: key, requestHash: "same request")
    }

    /// `body`'s result and how many database statements it made.
    private static func counted<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> (T, Int) {
        let budget = QueryBudget(limit: 100)
        let result = try await QueryBudget.$current.withValue(budget) { try await body() }
        return (result, budget.used)
    }
}
