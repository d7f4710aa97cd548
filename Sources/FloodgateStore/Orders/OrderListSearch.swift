import FloodgateCore
import SQLKit

/// The back-office's text search over a store's orders (``OrderSearch`` tokens in the `order_search` index,
/// whose key is `(store_id, token, order_id)`).
///
/// Query plans decide here, so the work is split into statements whose plans cannot go wrong, each an index
/// seek or a short index range. Each word's distinct tokens are listed by skipping through the index (`petr` →
/// `petrov`, `petrova`). A *narrow* word (few tokens) reads its newest orders, each token's own short range
/// backwards (the index keeps a token's orders in order); how far back that first batch reaches says how rare
/// the word is. A *wide* word (many tokens: a phone's digits, one letter) is counted up to a cap. The rarest
/// word *drives*, a batch of candidates at a time: a narrow one from its tokens, a wide one with few entries
/// from all of them at once. Each other narrow word keeps the candidates it has (a seek per token and
/// candidate); wide ones are checked on the rows read, in Swift, from the same names and phones the tokens came
/// from. Only when every word is wide and common do the orders go first.
///
/// With a million orders, one statement for it all makes PostgreSQL plan nested loops over the token ranges
/// (seconds to minutes), and reading a word's whole range to find its newest orders costs tens of milliseconds
/// for a common prefix, where its tokens' ranges read backwards cost under a millisecond.
extension SQLOrderAdminRepository {
    typealias Word = [(low: String, high: String)]

    /// How far a search goes before it changes method or stops for a page.
    public struct SearchLimits: Sendable {
        /// Most index entries a word may have to be read whole (a driver of many tokens); past it the word is common.
        public var common: Int
        /// Most distinct tokens a word may have to be looked up token by token.
        public var tokens: Int
        /// Candidates the driver gives at a time.
        public var batch: Int
        /// Batches one page may look through; past them the page ends and says where to go on.
        public var batches: Int

        public init(common: Int = 20_000, tokens: Int = 64, batch: Int = 500, batches: Int = 20) {
            self.common = common
            self.tokens = tokens
            self.batch = batch
            self.batches = batches
        }
    }

    /// A search word as the index has it.
    struct IndexedWord {
        var ranges: Word
        /// Its distinct tokens, when few enough to look up one by one (a *narrow* word; `nil`: a wide one).
        var tokens: [String]?
        /// A narrow word's first batch of candidates below the cursor (its newest orders).
        var first: (ids: [Int], next: Int?)?
        /// A wide word's index entries, counted up to ``SearchLimits/common`` + 1.
        var count: Int?
        /// Index entries per order id: the lower, the rarer.
        var density = 0.0

        /// Whether it can give candidates without reading more than a batch or ``SearchLimits/common`` entries.
        func canDrive(within common: Int) -> Bool { self.tokens != nil || (self.count ?? .max) <= common }
    }

    /// Rows of a page (up to `limit + 1`) and, when the search stopped early, where the next page starts.
    func search(
        _ text: String, filter: OrderFilter, limit: Int, query: (Int?) -> SQLSelectBuilder, on db: any SQLDatabase
    ) async throws -> ([any SQLRow], Int?) {
        let store = filter.storeID
        let limits = self.searchLimits
        guard let span = try await Self.idSpan(storeID: store, below: filter.before, on: db) else { return ([], nil) }
        guard var words = try await self.index(text, storeID: store, below: filter.before, span: span, on: db) else {
            return ([], nil)
        }
        // The rarest word that can drive cheaply drives; a wide, common word only when every word is one.
        words.sort {
            ($0.canDrive(within: limits.common) ? 0 : 1, $0.density) < (
                $1.canDrive(within: limits.common) ? 0 : 1, $1.density
            )
        }
        let driver = words.removeFirst()
        let probed = words.compactMap(\.tokens).sorted { $0.count < $1.count }
        let checked = words.filter { $0.tokens == nil }.map(\.ranges)
        let source: Candidates
        if let tokens = driver.tokens {
            source = .tokens(tokens)
        } else if driver.canDrive(within: limits.common) {
            let row = try await db.raw(
                "SELECT \(Self.idList) AS ids FROM order_search WHERE store_id = \(bind: store) AND \(Self.condition(driver.ranges, on: db))"
            ).first()
            source = .all(Set(try Self.ids(in: row)).sorted(by: >))
        } else {
            return try await self.scanOrders(
                driver: driver.ranges, checked: words.map(\.ranges), filter: filter, limit: limit, query: query, on: db)
        }
        let keep = { (row: any SQLRow) throws -> Bool in try Self.matches(row, checked) }
        // Every candidate is a row to show unless a filter or a word checked on the rows may drop it.
        let slice =
            checked.isEmpty && filter.date == nil && filter.windowID == nil && filter.status == nil ? limit + 1 : 500
        var found: [any SQLRow] = []
        var cursor = filter.before
        var pending = driver.first
        for _ in 0..<limits.batches {
            let batch: (ids: [Int], next: Int?)
            if let first = pending {
                batch = first
            } else {
                batch = try await source.batch(below: cursor, size: limits.batch, storeID: store, on: db)
            }
            pending = nil
            var candidates = batch.ids
            for tokens in probed where !candidates.isEmpty {
                candidates = try await Self.probe(candidates, tokens: tokens, storeID: store, on: db)
            }
            for start in stride(from: 0, to: candidates.count, by: slice) {
                let ids = Array(candidates[start..<min(start + slice, candidates.count)])
                found += try await query(cursor).where("id", .in, ids).orderBy("id", .descending).all().filter(keep)
                if found.count > limit { return (Array(found.prefix(limit + 1)), nil) }
            }
            guard let next = batch.next else { return (found, nil) }
            cursor = next
        }
        return (found, cursor)
    }

    /// Each word of `text` as the index has it; `nil` when one of them matches nothing below the cursor.
    private func index(
        _ text: String, storeID: Int, below cursor: Int?, span: (top: Int, count: Int), on db: any SQLDatabase
    ) async throws -> [IndexedWord]? {
        var words: [IndexedWord] = []
        for ranges in OrderSearch.ranges(for: text) {
            var word = IndexedWord(
                ranges: ranges,
                tokens: try await Self.tokens(ranges, storeID: storeID, upTo: self.searchLimits.tokens, on: db))
            if let tokens = word.tokens {
                guard !tokens.isEmpty else { return nil }
                // A narrow word's newest orders say how rare it is (how far back a batch reaches), and are the
                // first batch if it drives: no counting through a common word's entries.
                let first = try await Candidates.tokens(tokens).batch(
                    below: cursor, size: self.searchLimits.batch, storeID: storeID, on: db)
                guard !first.ids.isEmpty else { return nil }
                word.first = first
                word.density = Double(first.ids.count) / Double(max(1, first.next.map { span.top - $0 } ?? span.count))
            } else {
                let count = try await Self.count(ranges, storeID: storeID, upTo: self.searchLimits.common + 1, on: db)
                guard count > 0 else { return nil }
                word.count = count
                word.density = Double(count) / Double(span.count)
            }
            words.append(word)
        }
        return words.isEmpty ? nil : words
    }

    /// The ids a search may find: below the cursor (or the newest order) down to the store's first order.
    static func idSpan(storeID: Int, below cursor: Int?, on db: any SQLDatabase) async throws -> (top: Int, count: Int)?
    {
        let row = try await db.raw(
            """
            SELECT (SELECT MIN(id) FROM orders WHERE store_id = \(bind: storeID)) AS low, \
            (SELECT MAX(id) FROM orders WHERE store_id = \(bind: storeID)) AS high
            """
        ).first()
        guard let low = try row?.decode(column: "low", as: Int?.self),
            let high = try row?.decode(column: "high", as: Int?.self)
        else { return nil }
        let top = min(cursor ?? .max, high + 1)
        return top > low ? (top, top - low) : nil
    }

    /// Only wide, common words: the first one's newest orders, the others checked on them, at most
    /// ``SearchLimits/batches`` batches per page (the page then says where to go on).
    private func scanOrders(
        driver: Word, checked: [Word], filter: OrderFilter, limit: Int, query: (Int?) -> SQLSelectBuilder,
        on db: any SQLDatabase
    ) async throws -> ([any SQLRow], Int?) {
        var found: [any SQLRow] = []
        var cursor = filter.before
        let size = self.searchLimits.batch
        for _ in 0..<self.searchLimits.batches {
            let rows = try await query(cursor).where(
                SQLQueryString(
                    "id IN (SELECT order_id FROM order_search WHERE store_id = \(bind: filter.storeID) AND \(Self.condition(driver, on: db)))"
                )
            ).orderBy("id", .descending).limit(size).all()
            found += try rows.filter { try Self.matches($0, checked) }
            if found.count > limit { return (Array(found.prefix(limit + 1)), nil) }
            guard rows.count == size, let last = try rows.last?.decode(column: "id", as: Int.self) else {
                return (found, nil)
            }
            cursor = last
        }
        return (found, cursor)
    }

    /// The candidates (newest first) that have one of `tokens`: a seek per pair.
    static func probe(_ candidates: [Int], tokens: [String], storeID: Int, on db: any SQLDatabase) async throws -> [Int]
    {
        let row = try await db.raw(
            """
            SELECT \(Self.idList) AS ids FROM (SELECT DISTINCT order_id FROM order_search WHERE store_id = \(bind: storeID) \
            AND token IN (\(binds: tokens)) AND order_id IN (\(binds: candidates))) AS found
            """
        ).first()
        return try Self.ids(in: row).sorted(by: >)
    }

    /// A word's index entries, up to `cap`, counted in the database.
    static func count(_ word: Word, storeID: Int, upTo cap: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM order_search WHERE store_id = \(bind: storeID) \
            AND \(Self.condition(word, on: db)) LIMIT \(literal: cap)) AS m
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A word's distinct tokens, skipping from one to the next through the index; `nil` past `cap`.
    static func tokens(_ word: Word, storeID: Int, upTo cap: Int, on db: any SQLDatabase) async throws -> [String]? {
        var tokens: [String] = []
        for range in word {
            let rows = try await db.raw(
                """
                WITH RECURSIVE walk(token, n) AS (\
                SELECT MIN(token), 1 FROM order_search WHERE store_id = \(bind: storeID) \
                AND token >= \(bind: range.low) AND token < \(bind: range.high) \
                UNION ALL SELECT (SELECT MIN(s.token) FROM order_search s WHERE s.store_id = \(bind: storeID) \
                AND s.token > walk.token AND s.token < \(bind: range.high)), n + 1 \
                FROM walk WHERE walk.token IS NOT NULL AND n <= \(literal: cap)) \
                SELECT token FROM walk WHERE token IS NOT NULL
                """
            ).all()
            tokens += try rows.map { try $0.decode(column: "token", as: String.self) }
            if tokens.count > cap { return nil }
        }
        return tokens
    }

    /// Whether an order row (its names and phones) matches every word.
    static func matches(_ row: any SQLRow, _ words: [Word]) throws -> Bool {
        guard !words.isEmpty else { return true }
        let tokens = OrderSearch.tokens(
            names: [
                try row.decode(column: "customer_name", as: String.self),
                try row.decode(column: "recipient_name", as: String.self),
            ],
            phones: [
                try row.decode(column: "customer_phone", as: String.self),
                try row.decode(column: "recipient_phone", as: String.self),
            ]
        )
        return words.allSatisfy { word in
            tokens.contains { token in word.contains { token >= $0.low && token < $0.high } }
        }
    }

    /// A word's token ranges as SQL: ranges on SQLite (its LIKE ignores case and the index); `LIKE 'prefix%'`
    /// on PostgreSQL (the column is `COLLATE "C"`, so it uses the index, and the planner estimates it).
    static func condition(_ word: Word, on db: any SQLDatabase) -> SQLQueryString {
        let each: [SQLQueryString] = word.map { range in
            if db.dialect.name == "sqlite" { return "(token >= \(bind: range.low) AND token < \(bind: range.high))" }
            let escaped = range.low.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing(
                "_", with: "\\_")
            return "token LIKE \(bind: escaped + "%")"
        }
        return "(\(SQLList(each, separator: SQLRaw(" OR "))))"
    }
}
