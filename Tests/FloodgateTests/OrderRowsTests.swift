import FloodgateCore
import FloodgateTestSupport
import Foundation
import Synchronization
import Testing

@testable import FloodgateStore

/// PostgreSQL writes an order in one statement (`PlaceOrderStatement`), SQLite in a transaction of several: the
/// rows must be the same, so everything that reads them (the back-office, search, the jobs) can rely on them.
@Suite("An order's rows on both engines")
struct OrderRowsTests {
    @Test(
        "PostgreSQL's one-statement order stores the same rows as SQLite's transaction",
        .enabled(if: TestEngine.available.contains(.postgres), "needs PostgreSQL (scripts/test starts one)")
    )
    func sameRowsOnBothEngines() async throws {
        let sqlite = try await Self.rowsOfOrders(on: .sqlite)
        let postgres = try await Self.rowsOfOrders(on: .postgres)
        #expect(sqlite.count > 10, "\(sqlite)")
        #expect(postgres == sqlite)
    }

    @Test(
        "A column another instance adds while the shop runs does not break its prepared checkout",
        arguments: TestEngine.available)
    func columnAddedWhileRunning(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.role = .web }) { server in
            // A few orders first, so the pool's connections have prepared the checkout's statements.
            for index in 0..<4 {
                #expect(
                    try await server.postJSON(
                        "/api/v1/stores/petals/orders", try await server.orderBody(), key: "before-\(index)"
                    ).status == 201)
            }
            for table in ["products", "delivery_windows", "tour_zones", "orders", "order_lines"] {
                try await server.database.execute("ALTER TABLE \(table) ADD COLUMN added_later TEXT")
            }
            for index in 0..<4 {
                let placed = try await server.postJSON(
                    "/api/v1/stores/petals/orders", try await server.orderBody(), key: "after-\(index)")
                #expect(placed.status == 201, "\(placed.body)")
            }
            #expect(try await server.orderCount == 8)
        }
    }

    /// Places the same orders (two lines and Cyrillic names and card message; one line, another window, no message;
    /// a line without a photo, to a tour with a zone)
    /// and reads back every row they wrote, with row ids, tokens and times put aside.
    private static func rowsOfOrders(on engine: TestEngine) async throws -> [String] {
        let rows = Mutex<[String]>([])
        try await TestServer.run(engine, configure: { $0.role = .web }) { server in
            let products = try await server.get("/api/v1/stores/petals/products").array.compactMap { $0["id"] as? Int }
            let order: [String: Any] = [
                "items": [["product": products[0], "quantity": 2], ["product": products[1], "quantity": 1]],
                "customer": ["name": "Anna Petrova", "phone": "+7 495 123-45-67", "email": "anna@example.com"],
                "recipient": [
                    "name": "Ольга Иванова", "phone": "+7 916 555-12-34", "address": "Tverskaya 7, flat 12, Moscow",
                ],
                "deliveryWindow": try await server.firstOpenWindow(),
                "cardMessage": "С днём рождения!",
            ]
            let body = String(decoding: try JSONSerialization.data(withJSONObject: order), as: UTF8.self)
            #expect(try await server.postJSON("/api/v1/stores/petals/orders", body, key: "same-rows").status == 201)
            let windows = try await server.get("/api/v1/stores/petals/delivery-windows").array.compactMap {
                $0["id"] as? Int
            }
            let second = try await server.orderBody(
                window: windows[windows.count - 1], product: products[2], quantity: 3, note: "")
            #expect(try await server.postJSON("/api/v1/stores/petals/orders", second, key: "same-rows-2").status == 201)
            // A third with what the others lack: a line without a photo and a tour that delivers to a zone only.
            try await server.database.execute("UPDATE products SET photos = '[]' WHERE id = \(products[3])")
            let tours = SQLTourRepository(database: server.database)
            let north = try await tours.saveZone(
                Zone(id: 0, storeID: 1, name: "North", postcodes: ["101*"], fee: 30_000), by: .system)
            let tour = try await tours.createTour(
                DeliveryWindow(
                    id: 0, storeID: 1, date: LocalTime.date(daysFromNow: 2, in: "Europe/Moscow"), from: "09:00",
                    to: "13:00", capacity: 5,
                    reserved: 0, zoneIDs: [north.id]
                ), by: .system
            )
            var third =
                try JSONSerialization.jsonObject(
                    with: Data(try await server.orderBody(window: tour.id, product: products[3]).utf8))
                as! [String: Any]
            third["recipient"] = [
                "name": "Oleg", "phone": "+7 903 000-11-22", "address": "Lenina 1", "postcode": "101 000",
            ]
            let thirdBody = String(decoding: try JSONSerialization.data(withJSONObject: third), as: UTF8.self)
            #expect(
                try await server.postJSON("/api/v1/stores/petals/orders", thirdBody, key: "same-rows-3").status == 201)

            let id = "CAST(o.id AS TEXT)"
            let queries = [
                """
                SELECT o.store_id || '|' || o.status || '|' || o.total || '|' || o.currency || '|' || o.window_id || '|' || o.window_date \
                || '|' || o.window_from || '|' || o.window_to || '|' || o.customer_name || '|' || o.customer_phone || '|' || o.customer_email \
                || '|' || o.recipient_name || '|' || o.recipient_phone || '|' || o.recipient_address || '|' || o.card_message || '|' \
                || o.postcode || '|' || COALESCE(CAST(o.zone_id AS TEXT), 'no zone') || '|' || o.delivery_fee || '|' || LENGTH(o.token) AS r \
                FROM orders o ORDER BY o.id
                """,
                """
                SELECT 'line|' || l.position || '|' || l.product_id || '|' || l.name || '|' || l.unit_price || '|' || l.quantity || '|' \
                || l.composition || '|' || COALESCE(l.photo, 'no photo') AS r FROM order_lines l JOIN orders o ON o.id = l.order_id \
                ORDER BY o.id
                """,
                "SELECT 'search|' || s.store_id || '|' || s.token AS r FROM order_search s JOIN orders o ON o.id = s.order_id ORDER BY o.id",
                """
                SELECT 'job|' || j.kind || '|' || REPLACE(j.payload, \(id), 'ID') || '|' || REPLACE(j.dedupe_key, \(id), 'ID') || '|' \
                || j.priority || '|' || j.attempts || '|' || j.max_attempts || '|' || j.state || '|' || CASE WHEN j.run_at = j.created_at THEN 'due at once' ELSE 'later' END AS r \
                FROM jobs j JOIN orders o ON j.dedupe_key LIKE '%:order:' || \(id) ORDER BY o.id
                """,
                """
                SELECT 'key|' || k.store_id || '|' || k."key" || '|' || LENGTH(k.request_hash) || '|' || CASE WHEN k.created_at = o.created_at THEN 'with the order' ELSE 'apart' END AS r \
                FROM idempotency_keys k JOIN orders o ON o.id = k.order_id ORDER BY o.id
                """,
                "SELECT 'window|' || w.id || '|' || w.reserved || '|' || w.held AS r FROM delivery_windows w WHERE w.reserved > 0 ORDER BY w.id",
            ]
            for query in queries {
                // Sorted here: the engines' collations order text differently.
                let found = try await server.database.strings(query).sorted()
                rows.withLock { $0 += found }
            }
        }
        return rows.withLock { $0 }
    }
}

/// PostgreSQL's checkout statements take their placeholders and their values from one list (`PreparedParameters`).
@Suite("The checkout statement's placeholders and values")
struct PlaceOrderStatementTests {
    @Test("Every placeholder in the text has its value, and every value its placeholder, in both statements")
    func placeholdersMatchBindings() throws {
        for (sql, parameters) in [
            PlaceOrderSQL.compose(confirmingShown: false), PlaceOrderSQL.compose(confirmingShown: true),
        ] {
            let input = PlaceOrderStatement.Input(
                order: Order(
                    number: "", token: "t", storeID: 1, status: .new, total: Money(minorUnits: 100, currency: "EUR"),
                    lines: [
                        OrderLine(product: 1, name: "Peonies", unitPrice: 100, quantity: 1, composition: [], photo: nil)
                    ],
                    deliveryWindow: WindowSnapshot(id: 2, date: "2027-02-14", from: "10:00", to: "14:00"),
                    customer: .init(name: "Anna", phone: "1", email: "a@example.com"),
                    recipient: .init(name: "Olga", phone: "2", address: "x"),
                    cardMessage: "", createdAt: 1
                ),
                idempotency: IdempotencyKey(key: "k", requestHash: "h"),
                jobs: [NewJob(kind: "email.order-confirmation")],
                shownWindow: DeliveryWindow(
                    id: 2, storeID: 1, date: "2027-02-14", from: "10:00", to: "14:00", capacity: 5, reserved: 0)
            )
            let count = try parameters.bindings(for: input).count
            let used = Set(sql.matches(of: /\$([0-9]+)/).compactMap { Int($0.output.1) })
            #expect(used == Set(1...count), "placeholders \(used.sorted()) for \(count) values")
        }
    }
}
