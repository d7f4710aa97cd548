import FloodgateCore
import SQLKit

/// The rules that move a tour's waiting list, run inside the transaction that frees or uses a place.
///
/// The invariant: a free place on a tour with people waiting is offered — held for exactly one person —
/// in the same commit that freed it. The tour's row is updated first in every such transaction, which
/// on PostgreSQL locks it until the commit (concurrent cancellations, expiries and checkouts of one tour
/// take their turns) and on SQLite is what the single writer does anyway.
enum WaitlistLine {
    /// Offers every free place of a tour to the people first in line: each gets a hold until `now + hold`
    /// and an email through the outbox. Returns the entries offered now.
    @discardableResult
    static func offerFreePlaces(
        windowID: Int, hold: Int64, now: Int64 = WallClock.nowMillis, on db: any SQLDatabase
    ) async throws -> [Int] {
        guard
            let tour = try await db.raw(
                "UPDATE delivery_windows SET held = held WHERE id = \(bind: windowID) RETURNING *"
            )
            .first().map(DeliveryWindow.init(row:))
        else { return [] }
        let free = tour.remaining
        guard free > 0 else { return [] }
        // A place on a tour that takes no more orders is no use to anyone: nobody is offered it.
        let zone = try await db.select().column("time_zone").from("stores").where("id", .equal, tour.storeID).first()
        let local = LocalTime.now(in: try zone?.decode(column: "time_zone", as: String.self) ?? "UTC")
        guard tour.isOpen(atLocalDate: local.date, time: local.time) else { return [] }

        let line = try await db.select().column("id").from("waitlist_entries")
            .where("window_id", .equal, windowID).where("status", .equal, WaitlistEntry.Status.waiting.rawValue)
            .orderBy("id").limit(free).all().map { try $0.decode(column: "id", as: Int.self) }
        var offered: [Int] = []
        for id in line {
            let taken = try await db.raw(
                """
                UPDATE waitlist_entries SET status = 'offered', hold_until = \(bind: now + hold), updated_at = \(bind: now) \
                WHERE id = \(bind: id) AND status = 'waiting' RETURNING id
                """
            ).first()
            guard taken != nil else { continue }
            try await db.raw("UPDATE delivery_windows SET held = held + 1 WHERE id = \(bind: windowID)").run()
            try await SQLJobQueue.enqueue(
                [
                    NewJob(
                        kind: JobKind.waitlistOfferEmail, payload: JobKind.entryPayload(entryID: id),
                        dedupeKey: "\(JobKind.waitlistOfferEmail):entry:\(id)")
                ],
                on: db
            )
            offered.append(id)
        }
        return offered
    }

    /// Uses the place held for a waiting-list offer for `orderID`; throws ``CheckoutError/holdExpired`` if the
    /// hold ran out, was used, or is for another tour.
    static func useHold(
        token: String, storeID: Int, windowID: Int, orderID: Int, now: Int64, on db: any SQLDatabase
    ) async throws {
        let entry = try await db.raw(
            """
            UPDATE waitlist_entries SET status = 'converted', order_id = \(bind: orderID), updated_at = \(bind: now) \
            WHERE token = \(bind: token) AND store_id = \(bind: storeID) AND window_id = \(bind: windowID) \
            AND status = 'offered' AND hold_until > \(bind: now) RETURNING id
            """
        ).first()
        guard entry != nil else { throw CheckoutError.holdExpired }
        try await db.raw(
            "UPDATE delivery_windows SET reserved = reserved + 1, held = held - 1 WHERE id = \(bind: windowID)"
        ).run()
    }

    /// Gives back a place an order had taken (a cancellation) and offers it to the next in line.
    static func releasePlace(windowID: Int, hold: Int64, on db: any SQLDatabase) async throws {
        try await db.raw(
            "UPDATE delivery_windows SET reserved = reserved - 1 WHERE id = \(bind: windowID) AND reserved > 0"
        ).run()
        try await Self.offerFreePlaces(windowID: windowID, hold: hold, on: db)
    }

    /// Ends an entry that was `from` (if it still is) with `to`; a held place goes back to the tour and on to
    /// the next in line. Returns whether the entry was ended by this call.
    static func end(
        entryID: Int, windowID: Int, from: WaitlistEntry.Status, to: WaitlistEntry.Status, hold: Int64, now: Int64,
        on db: any SQLDatabase
    )
        async throws -> Bool
    {
        // An expiry only takes holds that really ran out: a checkout using one a moment before has converted it.
        let expiry: SQLQueryString = to == .expired ? " AND hold_until <= \(bind: now)" : ""
        let ended = try await db.raw(
            """
            UPDATE waitlist_entries SET status = \(bind: to.rawValue), updated_at = \(bind: now) \
            WHERE id = \(bind: entryID) AND status = \(bind: from.rawValue)\(expiry) RETURNING id
            """
        ).first()
        guard ended != nil else { return false }
        if from == .offered {
            try await db.raw("UPDATE delivery_windows SET held = held - 1 WHERE id = \(bind: windowID) AND held > 0")
                .run()
            try await Self.offerFreePlaces(windowID: windowID, hold: hold, now: now, on: db)
        }
        return true
    }
}
