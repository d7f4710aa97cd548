import FloodgateCore
import SQLKit

extension SQLStaffRepository {
    /// How many hex digits of a session's stored hash name it in lists: enough to tell sessions apart, and of no
    /// use to sign in with (it is a hash of the secret, not the secret).
    static let handleLength = 16

    public func signInAccount(email: String) async throws -> SignInAccount? {
        try await self.database.read { db in
            guard
                let row = try await db.select().column("*").from("staff")
                    .where("email", .equal, StaffMember.normalise(email: email))
                    .where("disabled_at", .is, SQLLiteral.null).first()
            else { return nil }
            let now = WallClock.nowMillis
            let grants = try await Self.grants(staffID: try row.decode(column: "id", as: Int.self), on: db)
                .filter { $0.isLive(at: now) }
            let strict = Set(
                try await db.select().column("id").from("stores").where("require_second_factor", .notEqual, 0).all()
                    .map { try $0.decode(column: "id", as: Int.self) })
            return SignInAccount(
                member: try Self.member(row), passwordHash: try row.decode(column: "password_hash", as: String.self),
                grants: grants, totpSecret: try row.decode(column: "totp_secret", as: String?.self),
                mustUseSecondFactor: grants.contains { $0.role.needsSecondFactor && strict.contains($0.storeID) }
            )
        }
    }

    public func recordFailedSignIn(email: String, reason: String, by actor: Actor) async throws {
        try await self.database.transaction { db in
            // The email as typed, never the password: a mistyped password in the email field stays out of the
            // log as long as it is not a valid address.
            let typed = EmailAddress.isValid(email) ? StaffMember.normalise(email: email) : "(not an email)"
            try await AuditChain.append(
                AuditEntry(
                    "session.sign-in-failed", object: "staff", id: typed,
                    details: ["reason": AuditChange(after: reason)]),
                by: actor, on: db)
        }
    }

    public func startSession(
        for account: SignInAccount, policy: SessionPolicy, by actor: Actor
    ) async throws -> (secret: String, session: StaffSession) {
        let secret = RandomToken.hex(words: 4)
        let csrf = RandomToken.hex(words: 2)
        let now = WallClock.nowMillis
        let digest = Self.digest(secret)
        try await self.database.transaction { db in
            // Sessions that ended are cleared as new ones start: the table stays the size of the staff.
            try await db.raw(
                "DELETE FROM staff_sessions WHERE expires_at < \(bind: now) OR last_seen_at < \(bind: now - policy.idle)"
            ).run()
            try await db.raw(
                """
                INSERT INTO staff_sessions (token_hash, staff_id, csrf, created_at, expires_at, last_seen_at, address, \
                user_agent, stage) VALUES (\(bind: digest), \(bind: account.member.id), \(bind: csrf), \(bind: now), \
                \(bind: now + policy.lifetime), \(bind: now), \(bind: actor.address), \(bind: actor.userAgent), \
                \(bind: account.firstStage.rawValue))
                """
            ).run()
            try await AuditChain.append(
                AuditEntry(
                    account.firstStage == .full ? "session.sign-in" : "session.password-accepted", object: "staff",
                    id: String(account.member.id),
                    details: ["session": AuditChange(after: String(digest.prefix(Self.handleLength)))]),
                by: actor, on: db, at: now)
        }
        let session = StaffSession(
            staff: account.member, grants: account.grants, csrf: csrf, expiresAt: now + policy.lifetime,
            handle: String(digest.prefix(Self.handleLength)), stage: account.firstStage)
        return (secret, session)
    }

    public func session(secret: String, policy: SessionPolicy) async throws -> StaffSession? {
        guard !secret.isEmpty else { return nil }
        let now = WallClock.nowMillis
        let digest = Self.digest(secret)
        let found: (StaffSession, lastSeen: Int64)? = try await self.database.read { db in
            // One query for the session, its account and its live grants (a row per grant): every back-office
            // request asks this.
            let rows = try await db.select().columns(SQLColumn("*", table: "staff"))
                .column(SQLColumn("csrf", table: "staff_sessions"))
                .column(SQLColumn("expires_at", table: "staff_sessions"))
                .column(SQLColumn("last_seen_at", table: "staff_sessions"))
                .column(SQLColumn("stage", table: "staff_sessions"))
                .column(SQLColumn("pending_secret", table: "staff_sessions"))
                .column(SQLAlias(SQLColumn("store_id", table: "staff_grants"), as: SQLIdentifier("grant_store_id")))
                .column(SQLAlias(SQLColumn("role", table: "staff_grants"), as: SQLIdentifier("grant_role")))
                .column(SQLAlias(SQLColumn("areas", table: "staff_grants"), as: SQLIdentifier("grant_areas")))
                .column(SQLAlias(SQLColumn("until_at", table: "staff_grants"), as: SQLIdentifier("grant_until_at")))
                .from("staff_sessions")
                .join(
                    "staff", on: SQLColumn("staff_id", table: "staff_sessions"), .equal, SQLColumn("id", table: "staff")
                )
                .join(
                    "staff_grants", method: SQLJoinMethod.inner,
                    on: SQLColumn("staff_id", table: "staff_grants"), .equal, SQLColumn("id", table: "staff")
                )
                .where(SQLColumn("token_hash", table: "staff_sessions"), .equal, SQLBind(digest))
                .where(SQLColumn("expires_at", table: "staff_sessions"), .greaterThan, SQLBind(now))
                .where(SQLColumn("last_seen_at", table: "staff_sessions"), .greaterThan, SQLBind(now - policy.idle))
                .where(SQLColumn("disabled_at", table: "staff"), .is, SQLLiteral.null).all()
            // Access that ended by itself ends the session with it.
            let grants = try rows.map { try Self.grant($0, prefix: "grant_") }.filter { $0.isLive(at: now) }
                .sorted { $0.storeID < $1.storeID }
            guard let row = rows.first, !grants.isEmpty else { return nil }
            let session = StaffSession(
                staff: try Self.member(row), grants: grants, csrf: try row.decode(column: "csrf", as: String.self),
                expiresAt: try row.decode(column: "expires_at", as: Int64.self),
                handle: String(digest.prefix(Self.handleLength)),
                // An unknown stage (a newer version's) opens nothing.
                stage: SessionStage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .secondFactor,
                pendingSecret: try row.decode(column: "pending_secret", as: String?.self))
            return (session, try row.decode(column: "last_seen_at", as: Int64.self))
        }
        guard let found else { return nil }
        // Kept alive at most once a minute (or a tenth of the idle time, if shorter): a busy florist's clicks are not
        // each a write.
        if now - found.lastSeen > min(60_000, policy.idle / 10) {
            try await self.database.transaction { db in
                try await db.raw(
                    "UPDATE staff_sessions SET last_seen_at = \(bind: now) WHERE token_hash = \(bind: digest)"
                ).run()
            }
        }
        return found.0
    }

    public func endSession(secret: String, by actor: Actor) async throws {
        let digest = Self.digest(secret)
        try await self.database.transaction { db in
            let ended = try await db.raw(
                "DELETE FROM staff_sessions WHERE token_hash = \(bind: digest) RETURNING staff_id"
            )
            .first()
            guard let staffID = try ended?.decode(column: "staff_id", as: Int.self) else { return }
            try await AuditChain.append(
                AuditEntry(
                    "session.sign-out", object: "staff", id: String(staffID),
                    details: ["session": AuditChange(after: String(digest.prefix(Self.handleLength)))]),
                by: actor, on: db)
        }
    }

    public func sessions(staffID: Int?, policy: SessionPolicy) async throws -> [SessionInfo] {
        let now = WallClock.nowMillis
        return try await self.database.read { db in
            let query = db.select().columns(SQLColumn("*", table: "staff"))
                .column(SQLColumn("token_hash", table: "staff_sessions"))
                .column(SQLAlias(SQLColumn("created_at", table: "staff_sessions"), as: SQLIdentifier("started_at")))
                .column(SQLColumn("expires_at", table: "staff_sessions"))
                .column(SQLColumn("last_seen_at", table: "staff_sessions"))
                .column(SQLColumn("address", table: "staff_sessions"))
                .column(SQLColumn("user_agent", table: "staff_sessions"))
                .from("staff_sessions")
                .join(
                    "staff", on: SQLColumn("staff_id", table: "staff_sessions"), .equal, SQLColumn("id", table: "staff")
                )
                .where(SQLColumn("expires_at", table: "staff_sessions"), .greaterThan, SQLBind(now))
                .where(SQLColumn("last_seen_at", table: "staff_sessions"), .greaterThan, SQLBind(now - policy.idle))
            if let staffID { query.where(SQLColumn("staff_id", table: "staff_sessions"), .equal, SQLBind(staffID)) }
            return try await query.orderBy(
                SQLOrderBy(
                    expression: SQLColumn("last_seen_at", table: "staff_sessions"), direction: SQLDirection.descending)
            ).all()
                .map { row in
                    SessionInfo(
                        handle: String(try row.decode(column: "token_hash", as: String.self).prefix(Self.handleLength)),
                        staff: try Self.member(row), startedAt: try row.decode(column: "started_at", as: Int64.self),
                        lastSeenAt: try row.decode(column: "last_seen_at", as: Int64.self),
                        expiresAt: try row.decode(column: "expires_at", as: Int64.self),
                        address: try row.decode(column: "address", as: String.self),
                        userAgent: try row.decode(column: "user_agent", as: String.self)
                    )
                }
        }
    }

    public func endSession(handle: String, by actor: Actor) async throws -> Bool {
        guard handle.count == Self.handleLength, handle.allSatisfy(\.isHexDigit) else { return false }
        return try await self.database.transaction { db in
            let ended = try await db.raw(
                """
                DELETE FROM staff_sessions WHERE substr(token_hash, 1, \(unsafeRaw: String(Self.handleLength))) = \
                \(bind: handle.lowercased()) RETURNING staff_id
                """
            ).first()
            guard let staffID = try ended?.decode(column: "staff_id", as: Int.self) else { return false }
            try await AuditChain.append(
                AuditEntry(
                    "session.end", object: "staff", id: String(staffID),
                    details: ["session": AuditChange(after: handle.lowercased())]),
                by: actor, on: db)
            return true
        }
    }

    /// Ends every session of an account; returns how many, for ``recordEndedSessions(_:staffID:reason:on:by:)``.
    ///
    /// Every change in a transaction comes before its audit entries: the chain's head is the last lock taken, so
    /// two transactions never hold rows the other waits for while one holds the head.
    static func endSessions(staffID: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("DELETE FROM staff_sessions WHERE staff_id = \(bind: staffID) RETURNING token_hash").all()
            .count
    }

    /// Records sessions ended by ``endSessions(staffID:on:)`` (nothing when there were none).
    static func recordEndedSessions(
        _ count: Int, staffID: Int, reason: String, on db: any SQLDatabase, by actor: Actor
    ) async throws {
        guard count > 0 else { return }
        try await AuditChain.append(
            AuditEntry(
                "session.end", object: "staff", id: String(staffID),
                details: ["sessions": AuditChange(after: String(count)), "reason": AuditChange(after: reason)]),
            by: actor, on: db)
    }
}
