import FloodgateCore
import SQLKit

/// Version 4: delivery windows become tours (zones, cut-off, held places, weekly templates), waiting lists,
/// the order workflow's history, staff and their sessions, and the indexes the back-office lists use.
enum Schema4 {
    @Sendable static func apply(_ db: any SQLDatabase) async throws {
        try await db.create(table: "zones")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("store_id", type: .bigint, .notNull, .references("stores", "id"))
            .column("name", type: .text, .notNull)
            // Normalised codes separated by single spaces; one ending in * covers every code it begins.
            .column("postcodes", type: .text, .notNull)
            .column("fee", type: .bigint, .notNull, .default(0))
            .run()
        try await db.create(index: "zones_store").on("zones").column("store_id").run()

        try await db.create(table: "tour_templates")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("store_id", type: .bigint, .notNull, .references("stores", "id"))
            .column("weekdays", type: .text, .notNull)
            .column("time_from", type: .text, .notNull)
            .column("time_to", type: .text, .notNull)
            .column("capacity", type: .int, .notNull)
            .column("zone_ids", type: .text, .notNull)
            .column("cutoff_days", type: .int, .notNull)
            .column("cutoff_time", type: .text, .notNull)
            .column("active", type: .int, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await Self.makeTours(db)

        try await db.create(table: "tour_zones")
            .column("window_id", type: .bigint, .notNull, .references("delivery_windows", "id"))
            .column("zone_id", type: .bigint, .notNull, .references("zones", "id"))
            .primaryKey("window_id", "zone_id")
            .run()

        try await db.create(table: "waitlist_entries")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("store_id", type: .bigint, .notNull, .references("stores", "id"))
            .column("window_id", type: .bigint, .notNull, .references("delivery_windows", "id"))
            .column("token", type: .text, .notNull, .unique)
            .column("name", type: .text, .notNull)
            .column("email", type: .text, .notNull)
            .column("phone", type: .text, .notNull)
            .column("cart", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("hold_until", type: .bigint)
            .column("order_id", type: .bigint, .references("orders", "id"))
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        // The line of a tour, first come first served; and the holds that run out.
        try await db.create(index: "waitlist_line").on("waitlist_entries").column("window_id").column("status").column(
            "id"
        ).run()
        try await db.create(index: "waitlist_holds").on("waitlist_entries").column("status").column("hold_until").run()

        try await db.alter(table: "orders").column("postcode", type: .text, .notNull, .default("")).run()
        try await db.alter(table: "orders").column("zone_id", type: .bigint).run()
        try await db.alter(table: "orders").column("delivery_fee", type: .bigint, .notNull, .default(0)).run()
        try await db.alter(table: "orders").column("status_changed_at", type: .bigint).run()
        // The back-office's search: words of names and phone numbers as tokens (OrderSearch), found by prefix in
        // an index. Byte order on both engines (PostgreSQL's default collation would not keep prefixes together).
        let token: SQLDataType = db.dialect.name == "sqlite" ? .text : .custom(SQLRaw(#"TEXT COLLATE "C""#))
        try await db.create(table: "order_search")
            .column("store_id", type: .bigint, .notNull)
            .column("token", type: token, .notNull)
            .column("order_id", type: .bigint, .notNull, .references("orders", "id"))
            .primaryKey("store_id", "token", "order_id")
            .run()
        try await Self.indexExistingOrders(db)
        // The back-office lists newest first, by store, delivery day, tour or status, a page at a time (keyset on id).
        try await db.drop(index: "orders_store_created").run()
        try await db.drop(index: "orders_window").run()
        try await db.create(index: "orders_store_id").on("orders").column("store_id").column("id").run()
        try await db.create(index: "orders_store_day").on("orders").column("store_id").column("window_date").column(
            "id"
        ).run()
        try await db.create(index: "orders_window_id").on("orders").column("window_id").column("id").run()
        try await db.create(index: "orders_store_status").on("orders").column("store_id").column("status").column("id")
            .run()

        try await db.create(table: "staff")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("email", type: .text, .notNull, .unique)
            .column("name", type: .text, .notNull)
            .column("role", type: .text, .notNull)
            .column("password_hash", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("disabled_at", type: .bigint)
            .run()

        try await db.create(table: "staff_sessions")
            // SHA-256 of the cookie's secret: a copy of the table does not let anyone in.
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("staff_id", type: .bigint, .notNull, .references("staff", "id"))
            .column("csrf", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()

        try await db.create(table: "order_events")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("order_id", type: .bigint, .notNull, .references("orders", "id"))
            .column("from_status", type: .text, .notNull)
            .column("to_status", type: .text, .notNull)
            .column("reason", type: .text, .notNull)
            .column("staff_id", type: .bigint, .references("staff", "id"))
            .column("staff_name", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "order_events_order").on("order_events").column("order_id").column("id").run()
    }

    /// Search tokens for the orders taken before this version, a thousand at a time.
    private static func indexExistingOrders(_ db: any SQLDatabase) async throws {
        var after = 0
        while true {
            let rows = try await db.select().columns(
                "id", "store_id", "customer_name", "recipient_name", "customer_phone", "recipient_phone"
            )
            .from("orders").where("id", .greaterThan, after).orderBy("id").limit(1_000).all()
            guard let last = rows.last else { return }
            var values: [SQLQueryString] = []
            for row in rows {
                let (id, store) = (
                    try row.decode(column: "id", as: Int.self), try row.decode(column: "store_id", as: Int.self)
                )
                values += OrderRows.searchRows(
                    storeID: store, orderID: id,
                    tokens: OrderRows.searchTokens(
                        names: [
                            try row.decode(column: "customer_name", as: String.self),
                            try row.decode(column: "recipient_name", as: String.self),
                        ],
                        phones: [
                            try row.decode(column: "customer_phone", as: String.self),
                            try row.decode(column: "recipient_phone", as: String.self),
                        ]
                    )
                )
            }
            for chunk in stride(from: 0, to: values.count, by: 2_000).map({
                Array(values[$0..<min($0 + 2_000, values.count)])
            }) {
                try await db.raw("INSERT INTO order_search (store_id, token, order_id) VALUES \(SQLList(chunk))").run()
            }
            after = try last.decode(column: "id", as: Int.self)
        }
    }

    /// Adds what a tour has beyond a window: places held for the waiting list, the cut-off, its template — and
    /// lifts the one-window-per-start-time rule, since two vans may leave at nine for different zones.
    private static func makeTours(_ db: any SQLDatabase) async throws {
        if db.dialect.name == "sqlite" {
            // SQLite cannot drop a table constraint: the table is rebuilt (the migration runs with foreign-key
            // enforcement off and checks every reference before it commits).
            try await db.create(table: "tours_new")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("store_id", type: .bigint, .notNull, .references("stores", "id"))
                .column("date", type: .text, .notNull)
                .column("time_from", type: .text, .notNull)
                .column("time_to", type: .text, .notNull)
                .column("capacity", type: .int, .notNull)
                .column("reserved", type: .int, .notNull, .default(0))
                .column("held", type: .int, .notNull, .default(0))
                .column("cutoff", type: .text)
                .column("template_id", type: .bigint, .references("tour_templates", "id"))
                .check(SQLRaw("reserved >= 0"), named: "reserved_not_negative")
                .check(SQLRaw("held >= 0"), named: "held_not_negative")
                .run()
            try await db.raw(
                """
                INSERT INTO tours_new (id, store_id, date, time_from, time_to, capacity, reserved) \
                SELECT id, store_id, date, time_from, time_to, capacity, reserved FROM delivery_windows
                """
            ).run()
            try await db.drop(table: "delivery_windows").run()
            try await db.raw("ALTER TABLE tours_new RENAME TO delivery_windows").run()
        } else {
            try await db.alter(table: "delivery_windows").column("held", type: .int, .notNull, .default(0)).run()
            try await db.alter(table: "delivery_windows").column("cutoff", type: .text).run()
            try await db.alter(table: "delivery_windows").column(
                "template_id", type: .bigint, .references("tour_templates", "id")
            ).run()
            try await db.raw("ALTER TABLE delivery_windows ADD CONSTRAINT held_not_negative CHECK (held >= 0)").run()
            try await db.raw(
                "ALTER TABLE delivery_windows DROP CONSTRAINT delivery_windows_store_id_date_time_from_key"
            ).run()
        }
        try await db.create(index: "tours_store_date").on("delivery_windows").column("store_id").column("date").column(
            "time_from"
        ).run()
        // A template gives at most one tour a day, however often generation runs.
        try await db.create(index: "tours_template_date").on("delivery_windows").column("template_id").column("date")
            .unique().run()
    }
}
