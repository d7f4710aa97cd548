import FloodgateCore
import SQLKit

/// Waiting lists of full tours: joining, leaving, offers that hold a place, holds that run out.
public protocol WaitlistRepository: Sendable {
    /// Puts a person in line for a full tour and emails them their link; if the same email already waits there,
    /// emails that place's link again. Tells the caller nothing about the entry: its link is a secret that only
    /// the email carries, so whoever types someone else's address learns nothing and takes over nothing.
    func join(_ request: WaitlistRequest, store: Store) async throws
    /// The entry behind a customer's link.
    func entry(store: Store, token: String) async throws -> WaitlistEntry?
    /// The entry with this row id (as outbox jobs name it).
    func entry(id: Int) async throws -> WaitlistEntry?
    /// Takes the person off the list; a held place goes on to the next in line. Nil if there is no such entry.
    func leave(store: Store, token: String) async throws -> WaitlistEntry?
    /// A tour's line: waiting and offered entries first come first, then the ended ones, newest first.
    func entries(windowID: Int) async throws -> [WaitlistEntry]
    /// How many people wait (or hold an offer) per tour of a store from a date on.
    func lengths(storeID: Int, fromDate: String) async throws -> [Int: Int]
    /// Place in line (1 = next) of a waiting entry.
    func position(of entry: WaitlistEntry) async throws -> Int
    /// Ends the holds that ran out before `now` and passes each place on. Returns how many ended.
    func releaseExpiredHolds(now: Int64) async throws -> Int
}

/// ``WaitlistRepository`` on the shop's database.
public struct SQLWaitlistRepository: WaitlistRepository {
    let database: Database
    /// How long an offer holds a place, in milliseconds.
    let hold: Int64

    /// Someone who joins again is sent the joined email again at most once in each period of the clock this
    /// many milliseconds long: joining in a loop cannot turn the shop into a mail cannon aimed at an inbox.
    public static let resendEvery: Int64 = 5 * 60_000

    public init(database: Database, holdMinutes: Int = 30) {
        self.database = database
        self.hold = Int64(holdMinutes) * 60_000
    }

    public func join(_ request: WaitlistRequest, store: Store) async throws {
        let local = LocalTime.now(in: store.timeZone)
        try await self.database.transaction { db -> Void in
            guard
                let tour = try await SQLDeliveryWindowRepository.window(storeID: store.id, id: request.windowID, on: db)
            else {
                throw WaitlistError.tourNotFound
            }
            guard tour.isOpen(atLocalDate: local.date, time: local.time) else { throw WaitlistError.tourClosed }
            // Nobody waits for a tour with free places — unless others already wait (the places are theirs). Asked
            // before looking for the person's own place, so that no answer depends on whether they are in line.
            let waiting =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(
                    "waitlist_entries"
                )
                .where("window_id", .equal, tour.id).where("status", .equal, WaitlistEntry.Status.waiting.rawValue)
                .first()
                .map { try $0.decode(column: "n", as: Int.self) } ?? 0
            guard tour.remaining == 0 || waiting > 0 else { throw WaitlistError.placesLeft(tour.remaining) }
            let now = WallClock.nowMillis
            if let existing = try await db.select().column("id").from("waitlist_entries")
                .where("window_id", .equal, tour.id).where("email", .equal, request.email)
                .where("status", .in, [WaitlistEntry.Status.waiting.rawValue, WaitlistEntry.Status.offered.rawValue])
                .first()
            {
                // Already in line: the link goes again to the address, never to whoever asks; the entry (its name,
                // phone and cart) stays as its owner left it.
                let id = try existing.decode(column: "id", as: Int.self)
                let again = "\(JobKind.waitlistJoinedEmail):entry:\(id):again:\(now / Self.resendEvery)"
                let email = NewJob(
                    kind: JobKind.waitlistJoinedEmail, payload: JobKind.entryPayload(entryID: id), dedupeKey: again)
                try await SQLJobQueue.enqueue([email], on: db)
                return
            }
            let token = RandomToken.hex()
            let row = try await db.raw(
                """
                INSERT INTO waitlist_entries (store_id, window_id, token, name, email, phone, cart, status, created_at, updated_at) \
                VALUES (\(bind: store.id), \(bind: tour.id), \(bind: token), \(bind: request.name), \(bind: request.email), \
                \(bind: request.phone), \(bind: request.cart), 'waiting', \(bind: now), \(bind: now)) RETURNING id
                """
            ).first()
            let id = try row?.decode(column: "id", as: Int.self) ?? 0
            try await SQLJobQueue.enqueue(
                [
                    NewJob(
                        kind: JobKind.waitlistJoinedEmail, payload: JobKind.entryPayload(entryID: id),
                        dedupeKey: "\(JobKind.waitlistJoinedEmail):entry:\(id)")
                ],
                on: db
            )
            // Joining a line behind places nobody was offered yet (a free place racing the join) takes them now.
            try await WaitlistLine.offerFreePlaces(windowID: tour.id, hold: self.hold, now: now, on: db)
        }
    }

    public func entry(store: Store, token: String) async throws -> WaitlistEntry? {
        try await self.database.read { db in
            try await db.select().column("*").from("waitlist_entries").where("store_id", .equal, store.id).where(
                "token", .equal, token
            )
            .first().map(WaitlistEntry.init(row:))
        }
    }

    public func entry(id: Int) async throws -> WaitlistEntry? {
        try await self.database.read { db in try await Self.entry(id: id, on: db) }
    }

    static func entry(id: Int, on db: any SQLDatabase) async throws -> WaitlistEntry? {
        try await db.select().column("*").from("waitlist_entries").where("id", .equal, id).first().map(
            WaitlistEntry.init(row:))
    }

    public func leave(store: Store, token: String) async throws -> WaitlistEntry? {
        try await self.database.transaction { db in
            guard
                let entry = try await db.select().column("*").from("waitlist_entries").where(
                    "store_id", .equal, store.id
                )
                .where("token", .equal, token).first().map(WaitlistEntry.init(row:))
            else { return nil }
            if entry.status == .waiting || entry.status == .offered {
                _ = try await WaitlistLine.end(
                    entryID: entry.id, windowID: entry.windowID, from: entry.status, to: .left, hold: self.hold,
                    now: WallClock.nowMillis, on: db
                )
            }
            return try await Self.entry(id: entry.id, on: db)
        }
    }

    public func entries(windowID: Int) async throws -> [WaitlistEntry] {
        try await self.database.read { db in
            try await db.select().column("*").from("waitlist_entries").where("window_id", .equal, windowID).orderBy(
                "id"
            ).all()
                .map(WaitlistEntry.init(row:))
        }
    }

    public func lengths(storeID: Int, fromDate: String) async throws -> [Int: Int] {
        try await self.database.read { db in
            var lengths: [Int: Int] = [:]
            for row in try await db.select().column(SQLColumn("window_id", table: "waitlist_entries"))
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("waitlist_entries")
                .join(
                    "delivery_windows", on: SQLColumn("window_id", table: "waitlist_entries"), .equal,
                    SQLColumn("id", table: "delivery_windows")
                )
                .where(SQLColumn("store_id", table: "delivery_windows"), .equal, SQLBind(storeID))
                .where(SQLColumn("date", table: "delivery_windows"), .greaterThanOrEqual, SQLBind(fromDate))
                .where(SQLColumn("status", table: "waitlist_entries"), .in, SQLBind.group(["waiting", "offered"]))
                .groupBy(SQLColumn("window_id", table: "waitlist_entries")).all()
            {
                lengths[try row.decode(column: "window_id", as: Int.self)] = try row.decode(column: "n", as: Int.self)
            }
            return lengths
        }
    }

    public func position(of entry: WaitlistEntry) async throws -> Int {
        try await self.database.read { db in
            let ahead = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(
                "waitlist_entries"
            )
            .where("window_id", .equal, entry.windowID).where("status", .equal, "waiting").where(
                "id", .lessThan, entry.id
            ).first()
            return (try ahead?.decode(column: "n", as: Int.self) ?? 0) + 1
        }
    }

    public func releaseExpiredHolds(now: Int64) async throws -> Int {
        let due = try await self.database.read { db in
            try await db.select().columns("id", "window_id").from("waitlist_entries")
                .where("status", .equal, "offered").where("hold_until", .lessThanOrEqual, now).orderBy("id").limit(500)
                .all()
                .map {
                    (
                        id: try $0.decode(column: "id", as: Int.self),
                        window: try $0.decode(column: "window_id", as: Int.self)
                    )
                }
        }
        var ended = 0
        for entry in due {
            // One small transaction per hold: the writer is never held long, and each place passes on as it frees.
            let done = try await self.database.transaction { db in
                try await WaitlistLine.end(
                    entryID: entry.id, windowID: entry.window, from: .offered, to: .expired, hold: self.hold, now: now,
                    on: db)
            }
            if done { ended += 1 }
        }
        return ended
    }
}

extension WaitlistEntry {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int.self),
            storeID: try row.decode(column: "store_id", as: Int.self),
            windowID: try row.decode(column: "window_id", as: Int.self),
            token: try row.decode(column: "token", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            phone: try row.decode(column: "phone", as: String.self),
            cart: try row.decode(column: "cart", as: String.self),
            status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .left,
            holdUntil: try row.decode(column: "hold_until", as: Int64?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self)
        )
    }
}
