import FloodgateCore
import SQLKit

/// The back-office's text search over a store's orders (``OrderSearch`` tokens in the `order_search` index,
/// whose key is `(store_id, token, order_id)`).
///
/// Query plans decide here, so the work is split into statements whose plans cannot go wrong, each an index
/// seek or a short index range. Every word is counted (up to a cap) and its distinct tokens listed by skipping
/// through the index (`petr` → `petrov`, `petrova`). The rarest word *drives*: a word of few tokens gives its
/// orders newest first, each token's own short range read backwards (the index keeps a token's orders in
/// order); a word of many tokens but few orders gives all its orders at once. The driver's candidates, a batch
/// at a time, are checked against each other word of few tokens by a seek per (token, order) pair, then read;
/// words of many tokens are checked on the rows, in Swift, from the same names and phones the tokens came
/// from. Only when every word is both wide and common (a single letter) do the orders go first.
///
/// Measured with a million orders: one statement for it all made PostgreSQL plan nested loops over the token
/// ranges (1.8 s to 12 minutes); reading a word's whole range to find its newest orders cost 18 ms on SQLite
/// for a prefix of 44,000 orders, where its tokens' backward ranges cost under a millisecond (BENCHMARKS).
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
        /// Its distinct tokens, when few enough to look up one by one.
        var tokens: [String]?
        /// Its index entries, counted up to ``SearchLimits/common`` + 1.
        var count: Int
    }

    /// Rows of a page (up to `limit + 1`) and, when the search stopped early, where the next page starts.
    func search(
        _ text: String, filter: OrderFilter, limit: Int, query: (Int?) -> SQLSelectBuilder, on db: any SQLDatabase
    ) async throws -> ([any SQLRow], Int?) {
        let store = filter.storeID
        var words: [IndexedWord] = []
        for ranges in OrderSearch.ranges(for: text) {
            let count = try await Self.count(ranges, storeID: store, upTo: self.searchLimits.common + 1, on: db)
            if count == 0 { return ([], nil) }
            let tokens = try await Self.tokens(ranges, storeID: store, upTo: self.searchLimits.tokens, on: db)
            words.append(IndexedWord(ranges: ranges, tokens: tokens, count: count))
        }
        guard !words.isEmpty else { return ([], nil) }
        // The rarest word drives; at equal counts, one whose tokens can be read one by one.
        words.sort { ($0.count, $0.tokens == nil ? 1 : 0) < ($1.count, $1.tokens == nil ? 1 : 0) }
        let driver = words.removeFirst()
        let probed = words.compactMap(\.tokens).sorted { $0.count < $1.count }
        let checked = words.filter { $0.tokens == nil }.map(\.ranges)
        var source: Candidates
        if let tokens = driver.tokens {
            source = .tokens(tokens)
        } else if driver.count <= self.searchLimits.common {
            let rows = try await db.raw(
                "SELECT order_id FROM order_search WHERE store_id = \(bind: store) AND \(Self.condition(driver.ranges, on: db))"
            ).all()
            source = .all(Set(try rows.map { try $0.decode(column: "order_id", as: Int.self) }).sorted(by: >))
        } else {
            return try await self.scanOrders(driver: driver.ranges, checked: words.map(\.ranges), filter: filter, limit: limit, query: query, on: db)
        }
        let keep = { (row: any SQLRow) throws -> Bool in try Self.matches(row, checked) }
        // Every candidate is a row to show unless a filter or a word checked on the rows may drop it.
        let slice = checked.isEmpty && filter.date == nil && filter.windowID == nil && filter.status == nil ? limit + 1 : 500
        var found: [any SQLRow] = []
        var cursor = filter.before
        for _ in 0..<self.searchLimits.batches {
            let (batch, next) = try await source.batch(below: cursor, size: self.searchLimits.batch, storeID: store, on: db)
            var candidates = batch
            for tokens in probed where !candidates.isEmpty {
                candidates = try await Self.probe(candidates, tokens: tokens, storeID: store, on: db)
            }
            for start in stride(from: 0, to: candidates.count, by: slice) {
                let ids = Array(candidates[start..<min(start + slice, candidates.count)])
                found += try await query(cursor).where("id", .in, ids).orderBy("id", .descending).all().filter(keep)
                if found.count > limit { return (Array(found.prefix(limit + 1)), nil) }
            }
            guard let next else { return (found, nil) }
            cursor = next
        }
        return (found, cursor)
    }

    /// Only wide, common words: the first one's newest orders, the others checked on them, at most
    /// ``SearchLimits/batches`` batches per page (the page then says where to go on).
    private func scanOrders(
        driver: Word, checked: [Word], filter: OrderFilter, limit: Int, query: (Int?) -> SQLSelectBuilder, on db: any SQLDatabase
    ) async throws -> ([any SQLRow], Int?) {
        var found: [any SQLRow] = []
        var cursor = filter.before
        let size = self.searchLimits.batch
        for _ in 0..<self.searchLimits.batches {
            let rows = try await query(cursor).where(SQLQueryString(
                "id IN (SELECT order_id FROM order_search WHERE store_id = \(bind: filter.storeID) AND \(Self.condition(driver, on: db)))"
            )).orderBy("id", .descending).limit(size).all()
            found += try rows.filter { try Self.matches($0, checked) }
            if found.count > limit { return (Array(found.prefix(limit + 1)), nil) }
            guard rows.count == size, let last = try rows.last?.decode(column: "id", as: Int.self) else { return (found, nil) }
            cursor = last
        }
        return (found, cursor)
    }

    /// Where a driver's candidates come from.
    enum Candidates {
        /// Each token's orders, newest first, read from the index a batch at a time.
        case tokens([String])
        /// All its orders, newest first (few enough to read at once).
        case all([Int])

        /// The next candidates below `cursor`, newest first, and the cursor after them (`nil`: no more). Every
        /// candidate between the two cursors is in the batch.
        func batch(below cursor: Int?, size: Int, storeID: Int, on db: any SQLDatabase) async throws -> ([Int], Int?) {
            switch self {
            case .all(let ids):
                let start = cursor.map { below in ids.firstIndex { $0 < below } ?? ids.count } ?? 0
                let batch = Array(ids[start..<min(start + size, ids.count)])
                return (batch, start + size < ids.count ? batch.last : nil)
            case .tokens(let tokens):
                // Each token's next orders; the batch is complete down to the highest of the lowest ids among the
                // tokens that had more (below it, a token that stopped early may have orders not read yet).
                let each = min(size, max(64, 4 * size / tokens.count))
                let below: SQLQueryString = cursor.map { " AND order_id < \(bind: $0)" } ?? ""
                let parts: [SQLQueryString] = tokens.enumerated().map { index, token in
                    """
                    SELECT order_id, \(literal: index) AS part FROM (SELECT order_id FROM order_search \
                    WHERE store_id = \(bind: storeID) AND token = \(bind: token)\(below) \
                    ORDER BY order_id DESC LIMIT \(literal: each)) AS t\(literal: index)
                    """
                }
                let rows = try await db.raw("\(SQLList(parts, separator: SQLRaw(" UNION ALL ")))").all()
                var counts = [Int](repeating: 0, count: tokens.count)
                var lowest = [Int](repeating: .max, count: tokens.count)
                var ids = Set<Int>()
                for row in rows {
                    let id = try row.decode(column: "order_id", as: Int.self)
                    let part = try row.decode(column: "part", as: Int.self)
                    counts[part] += 1
                    lowest[part] = min(lowest[part], id)
                    ids.insert(id)
                }
                let floor = tokens.indices.filter { counts[$0] == each }.map { lowest[$0] }.max()
                return (ids.filter { $0 >= (floor ?? .min) }.sorted(by: >), floor)
            }
        }
    }

    /// The candidates (newest first) that have one of `tokens`: a seek per pair.
    static func probe(_ candidates: [Int], tokens: [String], storeID: Int, on db: any SQLDatabase) async throws -> [Int] {
        let rows = try await db.raw(
            """
            SELECT DISTINCT order_id FROM order_search WHERE store_id = \(bind: storeID) \
            AND token IN (\(binds: tokens)) AND order_id IN (\(binds: candidates))
            """
        ).all()
        return Set(try rows.map { try $0.decode(column: "order_id", as: Int.self) }).sorted(by: >)
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
            names: [try row.decode(column: "customer_name", as: String.self), try row.decode(column: "recipient_name", as: String.self)],
            phones: [try row.decode(column: "customer_phone", as: String.self), try row.decode(column: "recipient_phone", as: String.self)]
        )
        return words.allSatisfy { word in tokens.contains { token in word.contains { token >= $0.low && token < $0.high } } }
    }

    /// A word's token ranges as SQL: ranges on SQLite (its LIKE ignores case and the index); `LIKE 'prefix%'`
    /// on PostgreSQL (the column is `COLLATE "C"`, so it uses the index, and the planner estimates it).
    static func condition(_ word: Word, on db: any SQLDatabase) -> SQLQueryString {
        let each: [SQLQueryString] = word.map { range in
            if db.dialect.name == "sqlite" { return "(token >= \(bind: range.low) AND token < \(bind: range.high))" }
            let escaped = range.low.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_")
            return "token LIKE \(bind: escaped + "%")"
        }
        return "(\(SQLList(each, separator: SQLRaw(" OR "))))"
    }
}
