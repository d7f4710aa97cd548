import FloodgateCore
import Foundation
import SQLKit

/// Which entries of the audit log to show.
public struct AuditFilter: Hashable, Sendable {
    /// One store's entries; with ``staffIDs``, also the entries of no store (sign-ins, staff accounts) done by or to
    /// those people.
    public var storeID: Int?
    public var staffIDs: [Int]?
    public var actorID: Int?
    /// An action's exact name, or its family: `catalog` matches `catalog.price`.
    public var action: String?
    public var objectType: String?
    public var objectID: String?
    /// Milliseconds since 1970, inclusive.
    public var from: Int64?
    /// Milliseconds since 1970, exclusive.
    public var to: Int64?
    /// Keyset cursor: only entries with a smaller number.
    public var before: Int64?
    public var limit: Int

    public init(
        storeID: Int? = nil, staffIDs: [Int]? = nil, actorID: Int? = nil, action: String? = nil,
        objectType: String? = nil,
        objectID: String? = nil, from: Int64? = nil, to: Int64? = nil, before: Int64? = nil, limit: Int = 100
    ) {
        self.storeID = storeID
        self.staffIDs = staffIDs
        self.actorID = actorID
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.from = from
        self.to = to
        self.before = before
        self.limit = limit
    }
}

/// The audit log: reading it, and checking its chain.
public protocol AuditLog: Sendable {
    /// Entries matching the filter, newest first.
    func entries(_ filter: AuditFilter) async throws -> [AuditRecord]
    /// Walks the whole chain from the last checkpoint; with `expecting`, a head seen before (in the log output, a
    /// backup) must still be in it: a rewrite of the whole table, hashes and head included, fails there.
    func verify(expecting: (seq: Int64, hash: String)?) async throws -> AuditVerification
    /// The last entry's number and hash (0 and ``AuditChain/genesis`` before the first).
    func head() async throws -> (seq: Int64, hash: String)
    /// Removes the entries older than `before` (milliseconds since 1970), leaving a checkpoint signed with the
    /// audit key in their place so the chain still verifies from it; returns how many went.
    func prune(before: Int64, by actor: Actor) async throws -> Int
}

/// What walking the chain found.
public enum AuditVerification: Hashable, Sendable {
    /// Every entry is in place and hashes to what the next one holds; the head names the last.
    case intact(entries: Int, head: Int64, hash: String)
    /// The first entry that does not fit, and why.
    case broken(at: Int64, reason: String)
}

/// ``AuditLog`` on the shop's database.
public struct SQLAuditLog: AuditLog {
    let database: Database
    /// The audit key's file (``AuditKey``): signs checkpoints on pruning, checks them on verifying.
    let keyPath: String?

    public init(database: Database, keyPath: String? = nil) {
        self.database = database
        self.keyPath = keyPath
    }

    public func entries(_ filter: AuditFilter) async throws -> [AuditRecord] {
        try await self.database.read { db in
            let query = db.select().column("*").from("audit_log")
            if let store = filter.storeID {
                let people = (filter.staffIDs ?? []).map { SQLBind($0) }
                let names = (filter.staffIDs ?? []).map { SQLBind(String($0)) }
                query.where { group in
                    group.where("store_id", .equal, store)
                    if !people.isEmpty {
                        group.orWhere { storeless in
                            storeless.where("store_id", .is, SQLLiteral.null).where { who in
                                who.where("actor_id", .in, SQLGroupExpression(SQLList(people)))
                                    .orWhere { staff in
                                        staff.where("object_type", .equal, "staff")
                                            .where("object_id", .in, SQLGroupExpression(SQLList(names)))
                                    }
                            }
                        }
                    }
                    return group
                }
            }
            if let actor = filter.actorID { query.where("actor_id", .equal, actor) }
            if let action = filter.action?.nonBlank {
                query.where { group in
                    group.where("action", .equal, action).orWhere("action", .like, "\(Self.escapeLike(action)).%")
                }
            }
            if let type = filter.objectType?.nonBlank { query.where("object_type", .equal, type) }
            if let id = filter.objectID?.nonBlank { query.where("object_id", .equal, id) }
            if let from = filter.from { query.where("at", .greaterThanOrEqual, from) }
            if let to = filter.to { query.where("at", .lessThan, to) }
            if let before = filter.before { query.where("id", .lessThan, before) }
            return try await query.orderBy("id", .descending).limit(max(1, min(filter.limit, 1_000))).all()
                .map(Self.record)
        }
    }

    public func head() async throws -> (seq: Int64, hash: String) {
        try await self.database.read { db in
            guard
                let row = try await db.select().columns("seq", "hash").from("audit_head").where("id", .equal, 1)
                    .first()
            else { throw AuditError.noHead }
            return (try row.decode(column: "seq", as: Int64.self), try row.decode(column: "hash", as: String.self))
        }
    }

    public func verify(expecting: (seq: Int64, hash: String)? = nil) async throws -> AuditVerification {
        try await self.database.read { db in
            // Entries up to the newest checkpoint may have been pruned: the chain goes on from its hash.
            var expected: Int64 = 1
            var previous = AuditChain.genesis
            if let row = try await db.select().column("*").from("audit_checkpoints")
                .orderBy("through_id", .descending).limit(1).first()
            {
                let checkpoint = try AuditCheckpoint(row: row)
                // Only the key's holder can have written it: a forged checkpoint cannot hide a deletion.
                guard let key = self.keyPath.flatMap({ try? AuditKey.read($0) }) else {
                    return .broken(
                        at: checkpoint.throughID, reason: "the checkpoint's signature needs the audit key to be checked"
                    )
                }
                guard checkpoint.isSigned(with: key) else {
                    return .broken(
                        at: checkpoint.throughID, reason: "the checkpoint's signature is not the audit key's")
                }
                expected = checkpoint.throughID + 1
                previous = checkpoint.hash
            }
            guard let headRow = try await db.select().columns("seq", "hash").from("audit_head").first() else {
                return .broken(at: expected, reason: "the log's head is missing")
            }
            let head = try headRow.decode(column: "seq", as: Int64.self)
            let firstID = expected
            let headHash = try headRow.decode(column: "hash", as: String.self)
            var count = 0
            var after = expected - 1
            while true {
                // Up to the head read above: entries appended meanwhile are the next walk's.
                let rows = try await db.select().column("*").from("audit_log").where("id", .greaterThan, after)
                    .where("id", .lessThanOrEqual, head).orderBy("id").limit(1_000).all()
                guard !rows.isEmpty else { break }
                for row in rows {
                    let record = try Self.record(row)
                    if let expecting, record.id == expecting.seq, record.hash != expecting.hash {
                        return .broken(at: record.id, reason: "it is not the entry whose hash was recorded")
                    }
                    if record.id != expected {
                        return .broken(
                            at: expected, reason: "entry \(expected) is missing (the next one is \(record.id))")
                    }
                    if record.previousHash != previous {
                        return .broken(at: record.id, reason: "it does not follow entry \(record.id - 1)")
                    }
                    if AuditChain.hash(record) != record.hash {
                        return .broken(at: record.id, reason: "its content does not match its hash")
                    }
                    previous = record.hash
                    expected += 1
                    count += 1
                }
                after = expected - 1
            }
            if expected - 1 != head {
                return .broken(
                    at: expected, reason: "the head names entry \(head), but the log ends at entry \(expected - 1)")
            }
            if headHash != previous {
                return .broken(at: head, reason: "the head's hash is not the last entry's")
            }
            // Entries between the checkpoint and the head were each visited above; one past the head is gone, and one
            // a checkpoint covers cannot be confirmed.
            if let expecting, expecting.seq > head {
                return .broken(at: expecting.seq, reason: "the recorded entry \(expecting.seq) is no longer in the log")
            }
            if let expecting, expecting.seq > 0, expecting.seq <= firstID - 1 {
                return .broken(
                    at: expecting.seq,
                    reason: "the recorded entry \(expecting.seq) was pruned; compare a head recorded after the pruning")
            }
            return .intact(entries: count, head: head, hash: headHash)
        }
    }

    public func prune(before: Int64, by actor: Actor) async throws -> Int {
        let key = try AuditKey.load(self.keyPath ?? "audit.key")
        return try await self.database.transaction { db in
            guard
                let last = try await db.select().columns("id", "hash").from("audit_log").where("at", .lessThan, before)
                    .orderBy("id", .descending).limit(1).first()
            else { return 0 }
            let checkpoint = AuditCheckpoint(
                throughID: try last.decode(column: "id", as: Int64.self),
                hash: try last.decode(column: "hash", as: String.self), at: WallClock.nowMillis, key: key)
            try await db.raw(
                """
                INSERT INTO audit_checkpoints (through_id, hash, at, signature) VALUES (\(bind: checkpoint.throughID), \
                \(bind: checkpoint.hash), \(bind: checkpoint.at), \(bind: checkpoint.signature))
                """
            ).run()
            // The tables' triggers let only entries a checkpoint covers go.
            let gone = try await db.raw(
                "DELETE FROM audit_log WHERE id <= \(bind: checkpoint.throughID) RETURNING id"
            ).all().count
            try await AuditChain.append(
                AuditEntry(
                    "audit.prune", object: "audit", id: String(checkpoint.throughID),
                    details: [
                        "entries": AuditChange(after: String(gone)),
                        "through": AuditChange(after: "\(checkpoint.throughID):\(checkpoint.hash)"),
                    ]),
                by: actor, on: db)
            return gone
        }
    }

    static func record(_ row: any SQLRow) throws -> AuditRecord {
        let detailsText = try row.decode(column: "details", as: String.self)
        let details = (try? JSONDecoder().decode([String: AuditChange].self, from: Data(detailsText.utf8))) ?? [:]
        return AuditRecord(
            id: try row.decode(column: "id", as: Int64.self), at: try row.decode(column: "at", as: Int64.self),
            actor: Actor(
                kind: Actor.Kind(rawValue: try row.decode(column: "actor_kind", as: String.self)) ?? .system,
                staffID: try row.decode(column: "actor_id", as: Int?.self),
                name: try row.decode(column: "actor_name", as: String.self),
                role: try row.decode(column: "actor_role", as: String.self),
                address: try row.decode(column: "address", as: String.self),
                userAgent: try row.decode(column: "user_agent", as: String.self)
            ),
            entry: AuditEntry(
                try row.decode(column: "action", as: String.self),
                object: try row.decode(column: "object_type", as: String.self),
                id: try row.decode(column: "object_id", as: String.self),
                storeID: try row.decode(column: "store_id", as: Int?.self), details: details
            ),
            detailsText: detailsText, previousHash: try row.decode(column: "prev_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self)
        )
    }

    private static func escapeLike(_ text: String) -> String {
        text.replacing("%", with: "").replacing("_", with: "")
    }
}

extension String {
    fileprivate var nonBlank: String? { self.trimmingSpaces.isEmpty ? nil : self }
}
