import SQLKit

extension SQLOrderAdminRepository {
    /// Where a driver's candidates come from.
    enum Candidates {
        /// Each token's orders, newest first, read from the index a batch at a time.
        case tokens([String])
        /// All its orders, newest first (few enough to read at once).
        case all([Int])

        /// The next candidates below `cursor`, newest first, and the cursor after them (`nil`: no more). Every
        /// candidate between the two cursors is in the batch.
        func batch(
            below cursor: Int?, size: Int, storeID: Int, on db: any SQLDatabase
        ) async throws -> (ids: [Int], next: Int?) {
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
                let rows = try await db.raw(
                    "SELECT part, \(SQLOrderAdminRepository.idList) AS ids FROM (\(SQLList(parts, separator: SQLRaw(" UNION ALL ")))) AS u GROUP BY part"
                ).all()
                var counts = [Int](repeating: 0, count: tokens.count)
                var lowest = [Int](repeating: .max, count: tokens.count)
                var ids = Set<Int>()
                for row in rows {
                    let part = try row.decode(column: "part", as: Int.self)
                    let list = try SQLOrderAdminRepository.ids(in: row)
                    counts[part] = list.count
                    lowest[part] = list.min() ?? .max
                    ids.formUnion(list)
                }
                let floor = tokens.indices.filter { counts[$0] == each }.map { lowest[$0] }.max()
                return (ids.filter { $0 >= (floor ?? .min) }.sorted(by: >), floor)
            }
        }
    }

    /// A column of order ids as one comma-separated text (`ids`): one cell to decode instead of one per id, which
    /// on PostgreSQL cost more than the queries themselves. `string_agg` is in both engines (SQLite since 3.44).
    static let idList = SQLRaw("string_agg(CAST(order_id AS TEXT), ',')")

    /// The ids of a one-row answer with ``idList`` as `ids` (none when it is `NULL`: no rows).
    static func ids(in row: (any SQLRow)?) throws -> [Int] {
        guard let text = try row?.decode(column: "ids", as: String?.self) else { return [] }
        return text.split(separator: ",").compactMap { Int($0) }
    }
}
