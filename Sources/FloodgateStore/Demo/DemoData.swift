import FloodgateCore
import Foundation
import Logging
import SQLKit

/// Loads the demo shops into an empty database and draws their photos.
public struct DemoData: Sendable {
    let database: Database
    /// Folder the photos are written to; they are served under `/photos/`.
    let photosDirectory: String

    public init(database: Database, photosDirectory: String) {
        self.database = database
        self.photosDirectory = photosDirectory
    }

    /// Loads the demo unless the database already has a store. Returns whether it loaded anything.
    @discardableResult
    public func loadIfEmpty(windowDays: Int = 14, logger: Logger) async throws -> Bool {
        for shop in DemoCatalog.shops { try self.drawPhotos(for: shop) }
        let loaded = try await self.database.transaction { db -> Bool in
            // Under the schema lock, so two instances starting on one empty database load the demo once.
            try await self.database.lockSchema(on: db)
            guard try await db.select().column("id").from("stores").limit(1).first() == nil else { return false }
            for shop in DemoCatalog.shops { try await Self.insert(shop, windowDays: windowDays, on: db) }
            return true
        }
        if loaded {
            try await self.addTours()
            logger.info("loaded demo stores", metadata: ["stores": "\(DemoCatalog.shops.map(\.slug))"])
        }
        return loaded
    }

    /// The farm-box shop delivers by zone: an evening tour on Tuesdays and Fridays from a weekly template,
    /// orders until 18:00 the day before, beside its everyday windows.
    private func addTours() async throws {
        let tours = SQLTourRepository(database: self.database)
        guard let store = try await SQLStoreRepository(database: self.database).find(slug: "greenbox") else { return }
        let oberland = try await tours.saveZone(
            Zone(
                id: 0, storeID: store.id, name: "Oberland",
                postcodes: Zone.parse(postcodes: "8620*, 8630*, 8340*, 8335*"), fee: 500), by: .system
        )
        let city = try await tours.saveZone(
            Zone(id: 0, storeID: store.id, name: "Zurich city", postcodes: ["80*"], fee: 900), by: .system)
        _ = try await tours.saveTemplate(
            TourTemplate(
                id: 0, storeID: store.id, weekdays: [2, 5], from: "19:00", to: "21:00", capacity: 12,
                zoneIDs: [oberland.id, city.id],
                cutoffDaysBefore: 1, cutoffTime: "18:00"
            ), by: .system
        )
        _ = try await tours.generateTours(store: store, days: 28, by: .system)
    }

    private func drawPhotos(for shop: DemoCatalog.Shop) throws {
        let folder = URL(fileURLWithPath: self.photosDirectory).appendingPathComponent(shop.slug)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (index, item) in shop.products.enumerated() {
            let style: DemoPhoto.Style = shop.slug == "petals" ? .bouquet : .box
            // Two pictures a product, as a florist shows a bouquet from the front and from above.
            for (view, seed) in [("", index), ("-b", index + 1_000)] {
                let svg = DemoPhoto.svg(for: item.composition, seed: seed, style: style)
                try Data(svg.utf8).write(to: folder.appendingPathComponent("demo-\(index + 1)\(view).svg"))
            }
        }
    }

    private static func insert(_ shop: DemoCatalog.Shop, windowDays: Int, on db: any SQLDatabase) async throws {
        let row = try await db.insert(into: "stores")
            .columns(
                "slug", "name", "tagline", "currency", "time_zone", "order_prefix", "notify_email", "fiscal_receipts"
            )
            .values(
                SQLBind(shop.slug), SQLBind(shop.name), SQLBind(shop.tagline), SQLBind(shop.currency),
                SQLBind(shop.timeZone), SQLBind(shop.orderPrefix), SQLBind(shop.notifyEmail),
                SQLBind(shop.fiscalReceipts ? 1 : 0)
            )
            .returning("id").first()
        let storeID = try row!.decode(column: "id", as: Int.self)
        let products = db.insert(into: "products")
            .columns(
                "store_id", "name", "description", "price", "currency", "available", "photos", "composition",
                "position", "updated_at")
        for (index, item) in shop.products.enumerated() {
            products.values(
                SQLBind(storeID), SQLBind(item.name), SQLBind(item.description), SQLBind(item.price),
                SQLBind(shop.currency),
                SQLBind(item.available ? 1 : 0),
                SQLBind(
                    try JSONColumn.encode([
                        "/photos/\(shop.slug)/demo-\(index + 1).svg", "/photos/\(shop.slug)/demo-\(index + 1)-b.svg",
                    ])),
                SQLBind(try JSONColumn.encode(item.composition)), SQLBind(index), SQLBind(WallClock.nowMillis)
            )
        }
        try await products.run()
        let windows = db.insert(into: "delivery_windows").columns(
            "store_id", "date", "time_from", "time_to", "capacity")
        for day in 0..<windowDays {
            let date = LocalTime.date(daysFromNow: day, in: shop.timeZone)
            for (from, to, capacity) in shop.windows {
                windows.values(SQLBind(storeID), SQLBind(date), SQLBind(from), SQLBind(to), SQLBind(capacity))
            }
        }
        try await windows.run()
    }
}
