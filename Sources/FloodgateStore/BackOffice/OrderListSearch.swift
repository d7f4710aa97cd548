import FloodgateCore
import SQLKit

/// The back-office's text search over a store's orders (``OrderSearch`` tokens in the `order_search` index).
///
/// Query plans decide here, so the work is split into statements whose plans cannot go wrong: a word's
/// matches are counted up to ``SQLOrderAdminRepository/rareWord``; rare words give the candidate ids, whose
/// orders are read by id, newest first; common words are checked on the rows read, in Swift, from the same
/// names and phones the tokens came from. With only common words, the first one finds its newest orders in
/// the index (on PostgreSQL through `LIKE 'prefix%'`, whose row estimate is right, where a range's is not)
/// and the others are checked on the rows. Measured with a million orders: PostgreSQL planned two words as
/// nested loops over the token ranges and took 1.8 s to 12 minutes; these statements stay in milliseconds.
extension SQLOrderAdminRepository {
    typealias Word = [(low: String, high: String)]

    /// Rows of a page (up to `limit + 1`) and, when the scan stopped early, where the next page starts.
    func search(
        _ text: String, filter: OrderFilter, limit: Int, query: (Int?) -> SQLSelectBuilder, on db: any SQLDatabase
    ) async throws -> ([any SQLRow], Int?) {
        let words = OrderSearch.ranges(for: text)
        guard !words.isEmpty else { return ([], nil) }
        var rare: Set<Int>?
        var common: [Word] = []
        for word in words {
            let rows = try await db.raw(
                "SELECT order_id FROM order_search WHERE store_id = \(bind: filter.storeID) AND \(Self.condition(word, on: db)) LIMIT \(literal: self.rareWord + 1)"
            ).all()
            if rows.count > self.rareWord { common.append(word); continue }
            let ids = Set(try rows.map { try $0.decode(column: "order_id", as: Int.self) })
            rare = rare.map { $0.intersection(ids) } ?? ids
        }
        let keep = { (row: any SQLRow) throws -> Bool in try Self.matches(row, common) }
        if var ids = rare {
            if let before = filter.before { ids = ids.filter { $0 < before } }
            let sorted = ids.sorted(by: >)
            var found: [any SQLRow] = []
            for slice in stride(from: 0, to: sorted.count, by: 500).map({ Array(sorted[$0..<min($0 + 500, sorted.count)]) }) {
                found += try await query(filter.before).where("id", .in, slice).orderBy("id", .descending).all().filter(keep)
                if found.count > limit { return (Array(found.prefix(limit + 1)), nil) }
            }
            return (found, nil)
        }
        // Only common words: the first one's newest orders, the others checked on them, at most 10,000 rows per
        // page (the page then says where to go on: a sparse combination never reads the whole table at once).
        let driver = common.removeFirst()
        var found: [any SQLRow] = []
        var cursor = filter.before
        for _ in 0..<20 {
            let rows = try await query(cursor).where(SQLQueryString(
                "id IN (SELECT order_id FROM order_search WHERE store_id = \(bind: filter.storeID) AND \(Self.condition(driver, on: db)))"
            )).orderBy("id", .descending).limit(500).all()
            found += try rows.filter(keep)
            if found.count > limit { return (Array(found.prefix(limit + 1)), nil) }
            guard rows.count == 500, let last = try rows.last?.decode(column: "id", as: Int.self) else { return (found, nil) }
            cursor = last
        }
        return (found, cursor)
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
