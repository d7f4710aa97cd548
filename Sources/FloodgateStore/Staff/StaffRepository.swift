import Crypto
import FloodgateCore
import Foundation
import SQLKit

/// A signed-in member of staff: who, and the token their forms must carry.
public struct StaffSession: Hashable, Sendable {
    public var staff: StaffMember
    /// Sent with every back-office form and checked on every post (cross-site request forgery).
    public var csrf: String
    /// Milliseconds since 1970 (UTC) when the session ends.
    public var expiresAt: Int64
}

/// Why a member of staff could not be added.
public enum StaffError: Error, Hashable, Sendable {
    case emailTaken(String)
}

/// Staff accounts and their sessions. Passwords arrive hashed (bcrypt); session secrets are stored as their
/// SHA-256, so a copy of the database lets nobody in.
public protocol StaffRepository: Sendable {
    func add(email: String, name: String, role: StaffRole, passwordHash: String) async throws -> StaffMember
    /// The active account with this email and its password hash.
    func account(email: String) async throws -> (StaffMember, passwordHash: String)?
    /// Starts a session; returns the secret for the cookie and the session.
    func startSession(for staff: StaffMember, lifetime: Int64) async throws -> (secret: String, session: StaffSession)
    /// The live session behind a cookie's secret.
    func session(secret: String) async throws -> StaffSession?
    func endSession(secret: String) async throws
    func all() async throws -> [StaffMember]
}

/// ``StaffRepository`` on the shop's database.
public struct SQLStaffRepository: StaffRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func add(email: String, name: String, role: StaffRole, passwordHash: String) async throws -> StaffMember {
        let email = StaffMember.normalise(email: email)
        return try await self.database.transaction { db in
            let row = try await db.raw(
                """
                INSERT INTO staff (email, name, role, password_hash, created_at) VALUES (\(bind: email), \(bind: name), \(bind: role.rawValue), \
                \(bind: passwordHash), \(bind: WallClock.nowMillis)) ON CONFLICT (email) DO NOTHING RETURNING id
                """
            ).first()
            guard let id = try row?.decode(column: "id", as: Int.self) else { throw StaffError.emailTaken(email) }
            return StaffMember(id: id, email: email, name: name, role: role)
        }
    }

    public func account(email: String) async throws -> (StaffMember, passwordHash: String)? {
        try await self.database.read { db in
            guard
                let row = try await db.select().column("*").from("staff").where(
                    "email", .equal, StaffMember.normalise(email: email)
                )
                .where("disabled_at", .is, SQLLiteral.null).first()
            else { return nil }
            return (try Self.member(row), try row.decode(column: "password_hash", as: String.self))
        }
    }

    public func startSession(
        for staff: StaffMember, lifetime: Int64
    ) async throws -> (secret: String, session: StaffSession) {
        let secret = RandomToken.hex(words: 4)
        let csrf = RandomToken.hex(words: 2)
        let now = WallClock.nowMillis
        try await self.database.transaction { db in
            // Sessions that ended are cleared as new ones start: the table stays the size of the staff.
            try await db.raw("DELETE FROM staff_sessions WHERE expires_at < \(bind: now)").run()
            try await db.raw(
                """
                INSERT INTO staff_sessions (token_hash, staff_id, csrf, created_at, expires_at) VALUES (\(bind: Self.digest(secret)), \
                \(bind: staff.id), \(bind: csrf), \(bind: now), \(bind: now + lifetime))
                """
            ).run()
        }
        return (secret, StaffSession(staff: staff, csrf: csrf, expiresAt: now + lifetime))
    }

    public func session(secret: String) async throws -> StaffSession? {
        guard !secret.isEmpty else { return nil }
        return try await self.database.read { db in
            guard
                let row = try await db.select().columns(SQLColumn("*", table: "staff"))
                    .column(SQLColumn("csrf", table: "staff_sessions")).column(
                        SQLColumn("expires_at", table: "staff_sessions")
                    )
                    .from("staff_sessions").join(
                        "staff", on: SQLColumn("staff_id", table: "staff_sessions"), .equal,
                        SQLColumn("id", table: "staff")
                    )
                    .where(SQLColumn("token_hash", table: "staff_sessions"), .equal, SQLBind(Self.digest(secret)))
                    .where(SQLColumn("expires_at", table: "staff_sessions"), .greaterThan, SQLBind(WallClock.nowMillis))
                    .where(SQLColumn("disabled_at", table: "staff"), .is, SQLLiteral.null).first()
            else { return nil }
            return StaffSession(
                staff: try Self.member(row), csrf: try row.decode(column: "csrf", as: String.self),
                expiresAt: try row.decode(column: "expires_at", as: Int64.self)
            )
        }
    }

    public func endSession(secret: String) async throws {
        try await self.database.transaction { db in
            try await db.raw("DELETE FROM staff_sessions WHERE token_hash = \(bind: Self.digest(secret))").run()
        }
    }

    public func all() async throws -> [StaffMember] {
        try await self.database.read { db in
            try await db.select().column("*").from("staff").orderBy("id").all().map(Self.member)
        }
    }

    static func member(_ row: any SQLRow) throws -> StaffMember {
        StaffMember(
            id: try row.decode(column: "id", as: Int.self), email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: StaffRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .staff
        )
    }

    static func digest(_ secret: String) -> String { HexDigits.encode(SHA256.hash(data: Data(secret.utf8))) }
}
