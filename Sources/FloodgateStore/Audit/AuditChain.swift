import Crypto
import FloodgateCore
import Foundation
import SQLKit

/// Appends to the audit log inside the caller's transaction, so an entry exists exactly when its change does.
///
/// Entries are numbered without gaps and chained: each holds the SHA-256 of its predecessor and of its own
/// canonical encoding (``canonical(_:)``). The one-row `audit_head` names the last entry; taking it with an
/// `UPDATE` holds its row lock until the transaction ends, so two changes at once queue for their place in the
/// chain instead of forking it. Only staff actions are recorded: checkouts never wait on this lock.
public enum AuditChain {
    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Records `entry` by `actor` on `db` (which must be inside a transaction); returns its number.
    @discardableResult
    public static func append(
        _ entry: AuditEntry, by actor: Actor, on db: any SQLDatabase, at now: Int64 = WallClock.nowMillis
    ) async throws -> Int64 {
        guard
            let head = try await db.raw("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").first()
        else { throw AuditError.noHead }
        let id = try head.decode(column: "seq", as: Int64.self)
        let previous = try head.decode(column: "hash", as: String.self)
        let record = AuditRecord(
            id: id, at: now, actor: actor, entry: entry, detailsText: Self.encode(entry.details),
            previousHash: previous, hash: ""
        )
        let hash = Self.hash(record)
        try await db.raw(
            """
            INSERT INTO audit_log (id, at, actor_kind, actor_id, actor_name, actor_role, store_id, address, user_agent, \
            action, object_type, object_id, details, prev_hash, hash) VALUES (\(bind: id), \(bind: now), \
            \(bind: actor.kind.rawValue), \(bind: actor.staffID), \(bind: actor.name), \(bind: actor.role), \
            \(bind: entry.storeID), \(bind: actor.address), \(bind: actor.userAgent), \(bind: entry.action), \
            \(bind: entry.objectType), \(bind: entry.objectID), \(bind: record.detailsText), \(bind: previous), \
            \(bind: hash))
            """
        ).run()
        try await db.raw("UPDATE audit_head SET hash = \(bind: hash) WHERE id = 1").run()
        return id
    }

    /// SHA-256 (hex) of the previous hash and the record's canonical encoding.
    public static func hash(_ record: AuditRecord) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(record.previousHash.utf8))
        hasher.update(data: Data(Self.canonical(record).utf8))
        return HexDigits.encode(hasher.finalize())
    }

    /// Every stored field but the hashes, each as its byte length, a colon and its text, one per line: no two
    /// different records encode alike, and the encoding does not depend on any library's formatting.
    public static func canonical(_ record: AuditRecord) -> String {
        let fields: [String] = [
            "floodgate-audit-1", String(record.id), String(record.at), record.actor.kind.rawValue,
            record.actor.staffID.map(String.init) ?? "", record.actor.name, record.actor.role,
            record.entry.storeID.map(String.init) ?? "", record.actor.address, record.actor.userAgent,
            record.entry.action, record.entry.objectType, record.entry.objectID, record.detailsText,
        ]
        return fields.map { "\($0.utf8.count):\($0)\n" }.joined()
    }

    static func encode(_ details: [String: AuditChange]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(details)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// Why the audit log could not be written or read.
public enum AuditError: Error, Hashable, Sendable {
    /// The database has no `audit_head` row: it was not migrated, or someone removed it.
    case noHead
}
