import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Logging
import SQLKit
import Testing

@Suite("Tours: zones, cut-off, templates, and the upgrade from delivery windows")
struct TourTests {
    static let zone = "Europe/Moscow"

    @Test(
        "Migration 4 turns windows into tours, keeps every order and reference, and lifts one-window-per-start",
        arguments: TestEngine.available)
    func upgradeKeepsOrders(engine: TestEngine) async throws {
        try await engine.withScratch { _, url in
            try await Database.withOpened(url, logger: Logger(label: "test")) { db in
                let logger = Logger(label: "test")
                try await Migrator(database: db).migrate(logger: logger, through: 3)
                try await db.execute(
                    """
                    INSERT INTO stores (id, slug, name, tagline, currency, time_zone, order_prefix, notify_email) \
                    VALUES (1, 'old', 'Old', '', 'RUB', 'Europe/Moscow', 'OL', 'shop@example.com')
                    """
                )
                try await db.execute(
                    "INSERT INTO delivery_windows (id, store_id, date, time_from, time_to, capacity, reserved) VALUES (5, 1, '2030-02-14', '09:00', '12:00', 10, 1)"
                )
                try await db.execute(
                    """
                    INSERT INTO orders (id, store_id, token, status, total, currency, window_id, window_date, window_from, window_to, customer_name, \
                    customer_phone, customer_email, recipient_name, recipient_phone, recipient_address, card_message, created_at) VALUES \
                    (77, 1, 't', 'new', 100, 'RUB', 5, '2030-02-14', '09:00', '12:00', 'A', '+7 900 000-00-00', 'a@example.com', 'B', \
                    '+7 900 000-00-01', 'Somewhere 1', '', 0)
                    """
                )
                #expect(try await Migrator(database: db).migrate(logger: logger) == [4, 5])

                #expect(try await db.scalar("SELECT reserved FROM delivery_windows WHERE id = 5") == 1)
                #expect(try await db.scalar("SELECT held FROM delivery_windows WHERE id = 5") == 0)
                let order = try await SQLOrderRepository(database: db).order(id: 77)
                #expect(order?.deliveryWindow.id == 5)
                #expect(order?.recipient.postcode == "")
                #expect(order?.deliveryFee == 0)
                // Orders from before are found by the back-office's search too.
                let found = try await SQLOrderAdminRepository(database: db).list(
                    OrderFilter(storeID: 1, text: "900 000-00-00"))
                #expect(found.orders.map(\.id) == [77])
                // A second van at the same time (another zone) is now allowed…
                try await db.execute(
                    "INSERT INTO delivery_windows (store_id, date, time_from, time_to, capacity) VALUES (1, '2030-02-14', '09:00', '12:00', 10)"
                )
                #expect(try await db.scalar("SELECT COUNT(*) FROM delivery_windows") == 2)
                // …and references to tours are still enforced after the rebuild.
                await #expect(throws: (any Error).self) {
                    try await db.execute("INSERT INTO tour_zones (window_id, zone_id) VALUES (999, 999)")
                }
                // On SQLite the rebuilt table keeps the old numbering (its AUTOINCREMENT sequence); PostgreSQL keeps the
                // table and its sequence (which these hand-numbered rows did not advance).
                if engine == .sqlite { #expect(try await db.scalar("SELECT MAX(id) FROM delivery_windows") > 5) }
            }
        }
    }

    @Test(
        "A tour past its cut-off is not offered and takes no order; before it, it does", arguments: TestEngine.available
    )
    func cutoffIsEnforced(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let tours = SQLTourRepository(database: server.database)
            let tomorrow = LocalTime.date(daysFromNow: 1, in: Self.zone)
            let yesterday = LocalTime.date(daysFromNow: -1, in: Self.zone)
            let closed = try await tours.createTour(
                DeliveryWindow(
                    id: 0, storeID: 1, date: tomorrow, from: "09:00", to: "13:00", capacity: 40, reserved: 0,
                    cutoff: "\(yesterday) 18:00"), by: .system
            )
            let open = try await tours.createTour(
                DeliveryWindow(
                    id: 0, storeID: 1, date: tomorrow, from: "09:00", to: "13:00", capacity: 40, reserved: 0,
                    cutoff: "\(tomorrow) 06:00"), by: .system
            )
            let listed = try await server.get("/api/v1/stores/petals/delivery-windows").array
            #expect(!listed.contains { $0["id"] as? Int == closed.id })
            #expect(listed.first { $0["id"] as? Int == open.id }?["closesAt"] as? String == "\(tomorrow) 06:00")

            let refused = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(window: closed.id))
            #expect(refused.status == 422)
            #expect(refused.body.contains("takes no more orders"))
            #expect(
                try await server.database.scalar("SELECT reserved FROM delivery_windows WHERE id = \(closed.id)") == 0)
            #expect(
                try await server.postJSON("/api/v1/stores/petals/orders", try await server.orderBody(window: open.id))
                    .status == 201)
            #expect(
                try await server.database.scalar("SELECT reserved FROM delivery_windows WHERE id = \(open.id)") == 1)
        }
    }

    @Test("The postcode decides which tours deliver, and the zone's fee is charged", arguments: TestEngine.available)
    func zonesDecideTours(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let tours = SQLTourRepository(database: server.database)
            let north = try await tours.saveZone(
                Zone(id: 0, storeID: 1, name: "North", postcodes: Zone.parse(postcodes: "101*, 125 000"), fee: 30_000),
                by: .system)
            _ = try await tours.saveZone(
                Zone(id: 0, storeID: 1, name: "South", postcodes: ["117*"], fee: 0), by: .system)
            let tour = try await tours.createTour(
                DeliveryWindow(
                    id: 0, storeID: 1, date: LocalTime.date(daysFromNow: 2, in: Self.zone), from: "09:00", to: "13:00",
                    capacity: 5, reserved: 0, zoneIDs: [north.id]), by: .system
            )
            func order(postcode: String?) async throws -> TestResponse {
                var body =
                    try JSONSerialization.jsonObject(with: Data(try await server.orderBody(window: tour.id).utf8))
                    as! [String: Any]
                var recipient = body["recipient"] as! [String: Any]
                recipient["postcode"] = postcode
                body["recipient"] = recipient
                return try await server.postJSON(
                    "/api/v1/stores/petals/orders",
                    String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
            }
            let missing = try await order(postcode: nil)
            #expect(missing.status == 422)
            #expect(missing.body.contains("recipient.postcode"))
            let south = try await order(postcode: "117 042")
            #expect(south.status == 422)
            #expect(south.body.contains("does not deliver to South"))
            let elsewhere = try await order(postcode: "190000")
            #expect(elsewhere.status == 422)
            #expect(try await server.orderCount == 0)

            let placed = try await order(postcode: "101 000")
            #expect(placed.status == 201)
            #expect(placed.object["deliveryFee"] as? Int == 30_000)
            let lines = placed.object["lines"] as? [[String: Any]] ?? []
            let goods = lines.reduce(0) { $0 + ($1["lineTotal"] as? Int ?? 0) }
            #expect(placed.object["total"] as? Int == goods + 30_000)
            #expect((placed.object["recipient"] as? [String: Any])?["postcode"] as? String == "101 000")

            let forSouth = try await server.get("/api/v1/stores/petals/delivery-windows?postcode=117042").array
            #expect(!forSouth.contains { $0["id"] as? Int == tour.id })
            // Tours without zones deliver everywhere.
            #expect(forSouth.contains { ($0["zones"] as? [Int])?.isEmpty == true })
            let forNorth = try await server.get("/api/v1/stores/petals/delivery-windows?postcode=125000").array
            #expect(forNorth.first { $0["id"] as? Int == tour.id }?["zones"] as? [Int] == [north.id])
            #expect(
                try await server.get("/api/v1/stores/petals/zones").array.map { $0["name"] as? String } == [
                    "North", "South",
                ])
        }
    }

    @Test("A weekly template gives each of its tours once, with its cut-off and zones", arguments: TestEngine.available)
    func templatesGenerateTours(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let tours = SQLTourRepository(database: server.database)
            let north = try await tours.saveZone(
                Zone(id: 0, storeID: 2, name: "North", postcodes: ["8001"], fee: 0), by: .system)
            let centre = try await tours.saveZone(
                Zone(id: 0, storeID: 2, name: "Centre", postcodes: ["8002"], fee: 0), by: .system)
            let template = try await tours.saveTemplate(
                TourTemplate(
                    id: 0, storeID: 2, weekdays: [2, 5], from: "09:00", to: "13:00", capacity: 40,
                    zoneIDs: [north.id, centre.id], cutoffDaysBefore: 1, cutoffTime: "18:00"), by: .system
            )
            let store = try #require(try await SQLStoreRepository(database: server.database).find(slug: "greenbox"))
            let added = try await tours.generateTours(store: store, days: 21, by: .system)
            #expect((5...6).contains(added), "3 weeks of Tuesdays and Fridays, less one whose cut-off passed: \(added)")
            #expect(try await tours.generateTours(store: store, days: 21, by: .system) == 0)

            let today = LocalTime.now(in: store.timeZone).date
            let generated = try await tours.tours(storeID: 2, from: today, to: "9999-12-31").filter {
                $0.templateID == template.id
            }
            #expect(generated.count == added)
            for tour in generated {
                let date = try #require(CivilDate(tour.date))
                #expect([2, 5].contains(date.weekday))
                #expect(tour.cutoff == "\(date.adding(days: -1)) 18:00")
                #expect(tour.zoneIDs == [north.id, centre.id].sorted())
                #expect(tour.capacity == 40)
            }
        }
    }
}
