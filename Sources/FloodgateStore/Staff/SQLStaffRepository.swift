import Crypto
import FloodgateCore
import Foundation
import SQLKit

/// ``StaffRepository`` on the shop's database: accounts and grants here, sessions in
/// `SQLStaffRepository+Sessions.swift`.
public struct SQLStaffRepository: StaffRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func add(
        email: String, name: String, passwordHash: String, grant: StaffGrant, by actor: Actor
    ) async throws -> StaffMember {
        let email = StaffMember.normalise(email: email)
        return try await self.database.transaction { db in
            let now = WallClock.nowMillis
            let row = try await db.raw(
                """
                INSERT INTO staff (email, name, password_hash, created_at, password_changed_at) VALUES (\(bind: email), \
                \(bind: name), \(bind: passwordHash), \(bind: now), \(bind: now)) ON CONFLICT (email) DO NOTHING RETURNING id
                """
            ).first()
            guard let id = try row?.decode(column: "id", as: Int.self) else { throw StaffError.emailTaken(email) }
            let member = StaffMember(id: id, email: email, name: name)
            try await AuditChain.append(
                AuditEntry(
                    "staff.add", object: "staff", id: String(id), storeID: grant.storeID,
                    details: ["email": AuditChange(after: email), "name": AuditChange(after: name)]),
                by: actor, on: db, at: now)
            try await Self.put(grant, staffID: id, on: db, by: actor, at: now)
            return member
        }
    }

    public func account(email: String) async throws -> StaffAccount? {
        try await self.database.read { db in
            guard
                let row = try await db.select().column("*").from("staff")
                    .where("email", .equal, StaffMember.normalise(email: email)).first()
            else { return nil }
            return try await Self.account(row, on: db)
        }
    }

    public func all() async throws -> [StaffAccount] {
        try await self.database.read { db in
            // Two queries whatever the number of people (the staff and audit pages ask on every view).
            var grants: [Int: [StaffGrant]] = [:]
            for row in try await db.select().column("*").from("staff_grants").orderBy("store_id").all() {
                grants[try row.decode(column: "staff_id", as: Int.self), default: []].append(try Self.grant(row))
            }
            return try await db.select().column("*").from("staff").orderBy("id").all().map { row in
                try Self.account(row, grants: grants[try row.decode(column: "id", as: Int.self)] ?? [])
            }
        }
    }

    public func grant(staffID: Int, _ grant: StaffGrant, by actor: Actor) async throws {
        try await self.database.transaction { db in
            try await Self.requireAccount(staffID, on: db)
            try await Self.put(grant, staffID: staffID, on: db, by: actor, at: WallClock.nowMillis)
        }
    }

    public func revoke(staffID: Int, storeID: Int, by actor: Actor) async throws {
        try await self.database.transaction { db in
            guard
                let old = try await Self.grants(staffID: staffID, on: db).first(where: { $0.storeID == storeID })
            else { throw StaffError.noSuchGrant }
            try await db.raw(
                "DELETE FROM staff_grants WHERE staff_id = \(bind: staffID) AND store_id = \(bind: storeID)"
            ).run()
            // Their tokens for this store go with the access: a grant given again later does not revive them.
            try await db.raw(
                """
                UPDATE api_tokens SET revoked_at = \(bind: WallClock.nowMillis) WHERE staff_id = \(bind: staffID) \
                AND store_id = \(bind: storeID) AND revoked_at IS NULL
                """
            ).run()
            let ended = try await Self.endSessions(staffID: staffID, on: db)
            try await AuditChain.append(
                AuditEntry(
                    "staff.revoke", object: "staff", id: String(staffID), storeID: storeID,
                    details: ["role": AuditChange(before: old.label, after: nil)]),
                by: actor, on: db)
            try await Self.recordEndedSessions(ended, staffID: staffID, reason: "access revoked", on: db, by: actor)
        }
    }

    public func setDisabled(staffID: Int, _ disabled: Bool, by actor: Actor) async throws {
        try await self.database.transaction { db in
            try await Self.requireAccount(staffID, on: db)
            let now = WallClock.nowMillis
            let value: Int64? = disabled ? now : nil
            try await db.raw("UPDATE staff SET disabled_at = \(bind: value) WHERE id = \(bind: staffID)").run()
            let ended = disabled ? try await Self.endSessions(staffID: staffID, on: db) : 0
            try await AuditChain.append(
                AuditEntry(disabled ? "staff.disable" : "staff.enable", object: "staff", id: String(staffID)),
                by: actor, on: db, at: now)
            try await Self.recordEndedSessions(ended, staffID: staffID, reason: "account disabled", on: db, by: actor)
        }
    }

    public func setPassword(staffID: Int, passwordHash: String, by actor: Actor) async throws {
        try await self.database.transaction { db in
            try await Self.requireAccount(staffID, on: db)
            let now = WallClock.nowMillis
            try await db.raw(
                """
                UPDATE staff SET password_hash = \(bind: passwordHash), password_changed_at = \(bind: now) \
                WHERE id = \(bind: staffID)
                """
            ).run()
            let ended = try await Self.endSessions(staffID: staffID, on: db)
            try await AuditChain.append(
                AuditEntry("staff.password", object: "staff", id: String(staffID)), by: actor, on: db, at: now)
            try await Self.recordEndedSessions(ended, staffID: staffID, reason: "password changed", on: db, by: actor)
        }
    }

    // MARK: - Rows

    /// Inserts or replaces a grant, recording the role before and after. Changes come before audit entries in every
    /// transaction (``endSessions(staffID:on:)`` says why).
    static func put(
        _ grant: StaffGrant, staffID: Int, on db: any SQLDatabase, by actor: Actor, at now: Int64
    ) async throws {
        let old = try await Self.grants(staffID: staffID, on: db).first { $0.storeID == grant.storeID }
        // A role that needs a second factor, given to someone signed in without one, does not ride on that session.
        var ended = 0
        if grant.role.needsSecondFactor, old?.role.needsSecondFactor != true,
            try await db.select().column("id").from("staff").where("id", .equal, staffID)
                .where("totp_secret", .is, SQLLiteral.null).first() != nil
        {
            ended = try await Self.endSessions(staffID: staffID, on: db)
        }
        try await db.raw(
            """
            INSERT INTO staff_grants (staff_id, store_id, role, areas, until_at, created_at) VALUES (\(bind: staffID), \
            \(bind: grant.storeID), \(bind: grant.role.rawValue), \(bind: ContractorArea.list(grant.areas)), \
            \(bind: grant.until), \(bind: now)) ON CONFLICT (staff_id, store_id) DO UPDATE SET role = EXCLUDED.role, \
            areas = EXCLUDED.areas, until_at = EXCLUDED.until_at
            """
        ).run()
        let before = old.map { ["role": $0.label, "until": Self.moment($0.until)] } ?? [:]
        let after = ["role": grant.label, "until": Self.moment(grant.until)]
        try await AuditChain.append(
            AuditEntry(
                "staff.grant", object: "staff", id: String(staffID), storeID: grant.storeID,
                details: AuditEntry.changes(before: before, after: after)),
            by: actor, on: db, at: now)
        try await Self.recordEndedSessions(
            ended, staffID: staffID, reason: "a role that needs a second factor", on: db, by: actor)
    }

    static func grants(staffID: Int, on db: any SQLDatabase) async throws -> [StaffGrant] {
        try await db.select().columns("store_id", "role", "areas", "until_at").from("staff_grants")
            .where("staff_id", .equal, staffID).orderBy("store_id").all().map { try Self.grant($0) }
    }

    /// A grant from a row's columns (named with `prefix`, as a joined query aliases them).
    static func grant(_ row: any SQLRow, prefix: String = "") throws -> StaffGrant {
        StaffGrant(
            storeID: try row.decode(column: prefix + "store_id", as: Int.self),
            // An unknown role (from a newer version) grants nothing beyond a contractor's nothing.
            role: StaffRole(rawValue: try row.decode(column: prefix + "role", as: String.self)) ?? .contractor,
            areas: ContractorArea.parse(list: try row.decode(column: prefix + "areas", as: String.self)) ?? [],
            until: try row.decode(column: prefix + "until_at", as: Int64?.self)
        )
    }

    static func account(_ row: any SQLRow, on db: any SQLDatabase) async throws -> StaffAccount {
        try Self.account(row, grants: try await Self.grants(staffID: try Self.member(row).id, on: db))
    }

    static func account(_ row: any SQLRow, grants: [StaffGrant]) throws -> StaffAccount {
        StaffAccount(
            member: try Self.member(row), grants: grants,
            disabled: try row.decode(column: "disabled_at", as: Int64?.self) != nil,
            hasSecondFactor: try row.decode(column: "totp_secret", as: String?.self) != nil
        )
    }

    static func requireAccount(_ staffID: Int, on db: any SQLDatabase) async throws {
        guard try await db.select().column("id").from("staff").where("id", .equal, staffID).first() != nil else {
            throw StaffError.noSuchAccount(String(staffID))
        }
    }

    static func member(_ row: any SQLRow) throws -> StaffMember {
        StaffMember(
            id: try row.decode(column: "id", as: Int.self), email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self)
        )
    }

    /// An end of access as the audit log shows it: an ISO 8601 moment in UTC, or "" for none.
    static func moment(_ millis: Int64?) -> String {
        millis.map { Date(timeIntervalSince1970: Double($0) / 1_000).formatted(.iso8601) } ?? ""
    }

    static func digest(_ secret: String) -> String { HexDigits.encode(SHA256.hash(data: Data(secret.utf8))) }
}
