import Crypto
import FloodgateCore
import Foundation
import SQLKit

/// A person's API token as lists show it (never its secret, which is shown once, when it is made).
public struct APIToken: Hashable, Sendable {
    public var id: Int
    public var staff: StaffMember
    public var storeID: Int
    public var role: StaffRole
    public var areas: Set<ContractorArea>
    public var name: String
    public var createdAt: Int64
    public var expiresAt: Int64?
    public var revoked: Bool
    public var lastUsedAt: Int64?

    public var label: String { StaffGrant(storeID: self.storeID, role: self.role, areas: self.areas).label }
}

/// A call made with a live token: whose, and what it may do in its store — the token's role, never more than the
/// person's own grant there now (a person removed, disabled or past their end takes their tokens with them).
public struct TokenAccess: Hashable, Sendable {
    public var token: APIToken
    public var permissions: Set<Permission>
    /// What it may do to the whole shop (its scheduled tasks and jobs, shared by every store): only what the token's
    /// role allows and the person holds in every store.
    public var shopWide: Set<Permission>
}

/// Personal API tokens: made for one person in one store with a role, stored as their SHA-256, revocable,
/// optionally expiring. Making and revoking one is recorded in the audit log.
public protocol APITokenRepository: Sendable {
    /// Makes a token; returns its secret (to show once) and the token.
    func create(
        staffID: Int, grant: StaffGrant, name: String, by actor: Actor
    ) async throws -> (secret: String, token: APIToken)
    /// Tokens of one person, or all, newest first.
    func tokens(staffID: Int?) async throws -> [APIToken]
    /// Revokes a token; false if there is none with this number.
    func revoke(id: Int, by actor: Actor) async throws -> Bool
    /// The live token behind a secret, with what it may do; nil for an unknown, revoked or expired one.
    func access(secret: String) async throws -> TokenAccess?
}

/// ``APITokenRepository`` on the shop's database.
public struct SQLAPITokenRepository: APITokenRepository {
    let database: Database
    /// Every personal token starts so: easy to find in a leaked file, and never mistaken for the admin token.
    public static let prefix = "fgp_"

    public init(database: Database) {
        self.database = database
    }

    public func create(
        staffID: Int, grant: StaffGrant, name: String, by actor: Actor
    ) async throws -> (secret: String, token: APIToken) {
        let secret = Self.prefix + RandomToken.hex(words: 3)
        let now = WallClock.nowMillis
        return try await self.database.transaction { db in
            // Never more than the person may do there now: a token made beyond it would wake up with a later grant.
            guard
                let held = try await SQLStaffRepository.grants(staffID: staffID, on: db)
                    .first(where: { $0.storeID == grant.storeID && $0.isLive(at: now) }),
                grant.permissions.isSubset(of: held.permissions)
            else { throw StaffError.noSuchGrant }
            let row = try await db.raw(
                """
                INSERT INTO api_tokens (token_hash, staff_id, store_id, role, areas, name, created_at, expires_at) VALUES \
                (\(bind: SQLStaffRepository.digest(secret)), \(bind: staffID), \(bind: grant.storeID), \
                \(bind: grant.role.rawValue), \(bind: ContractorArea.list(grant.areas)), \(bind: name), \(bind: now), \
                \(bind: grant.until)) RETURNING id
                """
            ).first()
            let id = try row?.decode(column: "id", as: Int.self) ?? 0
            try await AuditChain.append(
                AuditEntry(
                    "staff.token-create", object: "staff", id: String(staffID), storeID: grant.storeID,
                    details: [
                        "token": AuditChange(after: "\(id) \(name)"), "role": AuditChange(after: grant.label),
                        "until": AuditChange(after: SQLStaffRepository.moment(grant.until)),
                    ]),
                by: actor, on: db, at: now)
            guard
                let token = try await Self.tokens(
                    on: db,
                    {
                        $0.where(SQLColumn("id", table: "api_tokens"), .equal, SQLBind(id))
                    }
                ).first
            else {
                throw StaffError.noSuchAccount(String(staffID))
            }
            return (secret, token)
        }
    }

    public func tokens(staffID: Int?) async throws -> [APIToken] {
        try await self.database.read { db in
            try await Self.tokens(on: db) { query in
                if let staffID { query.where(SQLColumn("staff_id", table: "api_tokens"), .equal, SQLBind(staffID)) }
            }
        }
    }

    public func revoke(id: Int, by actor: Actor) async throws -> Bool {
        try await self.database.transaction { db in
            let row = try await db.raw(
                """
                UPDATE api_tokens SET revoked_at = \(bind: WallClock.nowMillis) WHERE id = \(bind: id) \
                AND revoked_at IS NULL RETURNING staff_id, store_id, name
                """
            ).first()
            guard let row else { return false }
            try await AuditChain.append(
                AuditEntry(
                    "staff.token-revoke", object: "staff",
                    id: String(try row.decode(column: "staff_id", as: Int.self)),
                    storeID: try row.decode(column: "store_id", as: Int.self),
                    details: ["token": AuditChange(after: "\(id) \(try row.decode(column: "name", as: String.self))")]),
                by: actor, on: db)
            return true
        }
    }

    public func access(secret: String) async throws -> TokenAccess? {
        guard secret.hasPrefix(Self.prefix) else { return nil }
        let digest = SQLStaffRepository.digest(secret)
        let now = WallClock.nowMillis
        let found: TokenAccess? = try await self.database.read { db in
            let live = try await Self.tokens(on: db) { query in
                query.where(SQLColumn("token_hash", table: "api_tokens"), .equal, SQLBind(digest))
                    .where(SQLColumn("revoked_at", table: "api_tokens"), .is, SQLLiteral.null)
                    .where(SQLColumn("disabled_at", table: "staff"), .is, SQLLiteral.null)
            }
            guard let token = live.first, token.expiresAt.map({ now < $0 }) ?? true else { return nil }
            let grants = try await SQLStaffRepository.grants(staffID: token.staff.id, on: db).filter {
                $0.isLive(at: now)
            }
            guard let grant = grants.first(where: { $0.storeID == token.storeID }) else { return nil }
            let own = token.role.permissions(areas: token.areas)
            let stores = try await db.select().column("id").from("stores").all().map {
                try $0.decode(column: "id", as: Int.self)
            }
            var shopWide = own
            for store in stores {
                shopWide.formIntersection(grants.first { $0.storeID == store }?.permissions ?? [])
            }
            return TokenAccess(token: token, permissions: own.intersection(grant.permissions), shopWide: shopWide)
        }
        // Kept at most once a minute: a script's calls are not each a write.
        if let found, now - (found.token.lastUsedAt ?? 0) > 60_000 {
            try await self.database.transaction { db in
                try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: now) WHERE token_hash = \(bind: digest)")
                    .run()
            }
        }
        return found
    }

    /// Tokens with their person, as `filter` narrows them, newest first.
    static func tokens(
        on db: any SQLDatabase, _ filter: (SQLSelectBuilder) -> Void
    ) async throws -> [APIToken] {
        let query = db.select().column(SQLColumn("*", table: "api_tokens"))
            .column(SQLColumn("email", table: "staff"))
            .column(SQLAlias(SQLColumn("name", table: "staff"), as: SQLIdentifier("staff_name")))
            .from("api_tokens")
            .join("staff", on: SQLColumn("staff_id", table: "api_tokens"), .equal, SQLColumn("id", table: "staff"))
        filter(query)
        let newest = SQLOrderBy(expression: SQLColumn("id", table: "api_tokens"), direction: SQLDirection.descending)
        return try await query.orderBy(newest).all().map { row in
            APIToken(
                id: try row.decode(column: "id", as: Int.self),
                staff: StaffMember(
                    id: try row.decode(column: "staff_id", as: Int.self),
                    email: try row.decode(column: "email", as: String.self),
                    name: try row.decode(column: "staff_name", as: String.self)),
                storeID: try row.decode(column: "store_id", as: Int.self),
                role: StaffRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .contractor,
                areas: ContractorArea.parse(list: try row.decode(column: "areas", as: String.self)) ?? [],
                name: try row.decode(column: "name", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Int64.self),
                expiresAt: try row.decode(column: "expires_at", as: Int64?.self),
                revoked: try row.decode(column: "revoked_at", as: Int64?.self) != nil,
                lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self))
        }
    }
}
