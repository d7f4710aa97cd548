import FloodgateCore
import SQLKit

extension SQLStaffRepository {
    public func secondFactor(staffID: Int) async throws -> (secret: String, lastStep: Int64)? {
        try await self.database.read { db in
            guard
                let row = try await db.select().columns("totp_secret", "totp_step").from("staff")
                    .where("id", .equal, staffID).first(),
                let secret = try row.decode(column: "totp_secret", as: String?.self)
            else { return nil }
            return (secret, try row.decode(column: "totp_step", as: Int64.self))
        }
    }

    public func offer(enrolment secret: String, toSession sessionSecret: String) async throws {
        try await self.database.transaction { db in
            try await db.raw(
                """
                UPDATE staff_sessions SET pending_secret = \(bind: secret) \
                WHERE token_hash = \(bind: Self.digest(sessionSecret)) AND stage = \(bind: SessionStage.enrol.rawValue)
                """
            ).run()
        }
    }

    public func completeSecondFactor(
        sessionSecret: String, staffID: Int, step: Int64, by actor: Actor
    ) async throws -> Bool {
        try await self.database.transaction { db in
            // Conditional on the last step used: two sign-ins with one code, anywhere, make one session.
            let taken = try await db.raw(
                """
                UPDATE staff SET totp_step = \(bind: step) WHERE id = \(bind: staffID) AND totp_step < \(bind: step) \
                RETURNING id
                """
            ).first()
            guard taken != nil else { return false }
            return try await Self.upgrade(sessionSecret, staffID: staffID, how: "code", on: db, by: actor)
        }
    }

    public func completeWithRecoveryCode(
        sessionSecret: String, staffID: Int, code: String, by actor: Actor
    ) async throws -> Bool {
        try await self.database.transaction { db in
            let used = try await db.raw(
                """
                UPDATE staff_recovery_codes SET used_at = \(bind: WallClock.nowMillis) WHERE staff_id = \(bind: staffID) \
                AND code_hash = \(bind: Self.digest(RecoveryCodes.normalise(code))) AND used_at IS NULL RETURNING staff_id
                """
            ).first()
            guard used != nil else { return false }
            return try await Self.upgrade(sessionSecret, staffID: staffID, how: "recovery code", on: db, by: actor)
        }
    }

    public func enrol(
        sessionSecret: String, staffID: Int, totpSecret: String, step: Int64, recoveryCodes: [String], by actor: Actor
    ) async throws {
        try await self.database.transaction { db in
            try await db.raw(
                "UPDATE staff SET totp_secret = \(bind: totpSecret), totp_step = \(bind: step) WHERE id = \(bind: staffID)"
            ).run()
            try await Self.replaceRecoveryCodes(recoveryCodes, staffID: staffID, on: db)
            let promoted = try await Self.promote(sessionSecret, staffID: staffID, on: db)
            try await AuditChain.append(
                AuditEntry(
                    "staff.second-factor-enrol", object: "staff", id: String(staffID),
                    details: ["recovery codes": AuditChange(after: String(recoveryCodes.count))]),
                by: actor, on: db)
            if promoted {
                try await Self.recordSignIn(sessionSecret, staffID: staffID, how: "enrolment", on: db, by: actor)
            }
        }
    }

    public func recordFailedSecondFactor(staffID: Int, by actor: Actor) async throws {
        _ = try await self.database.transaction { db in
            try await AuditChain.append(
                AuditEntry("session.second-factor-failed", object: "staff", id: String(staffID)), by: actor, on: db)
        }
    }

    public func resetSecondFactor(staffID: Int, by actor: Actor) async throws {
        try await self.database.transaction { db in
            try await Self.requireAccount(staffID, on: db)
            try await db.raw("UPDATE staff SET totp_secret = NULL, totp_step = 0 WHERE id = \(bind: staffID)").run()
            try await db.raw("DELETE FROM staff_recovery_codes WHERE staff_id = \(bind: staffID)").run()
            let ended = try await Self.endSessions(staffID: staffID, on: db)
            try await AuditChain.append(
                AuditEntry("staff.second-factor-reset", object: "staff", id: String(staffID)), by: actor, on: db)
            try await Self.recordEndedSessions(
                ended, staffID: staffID, reason: "second factor reset", on: db, by: actor)
        }
    }

    public func requireSecondFactor(storeID: Int, _ required: Bool, by actor: Actor) async throws {
        try await self.database.transaction { db in
            guard
                let row = try await db.raw(
                    "SELECT require_second_factor FROM stores WHERE id = \(bind: storeID)"
                ).first()
            else { throw StaffError.noSuchGrant }
            let before = try row.decode(column: "require_second_factor", as: Int.self) != 0
            try await db.raw(
                "UPDATE stores SET require_second_factor = \(bind: required ? 1 : 0) WHERE id = \(bind: storeID)"
            ).run()
            // Owners and managers signed in without a second factor, where one is now required, sign in again.
            var ended: [(Int, Int)] = []
            if required, !before {
                let people = try await db.raw(
                    """
                    SELECT DISTINCT staff.id FROM staff JOIN staff_grants ON staff_grants.staff_id = staff.id \
                    WHERE staff_grants.store_id = \(bind: storeID) AND staff_grants.role IN ('owner', 'manager') \
                    AND staff.totp_secret IS NULL
                    """
                ).all().map { try $0.decode(column: "id", as: Int.self) }
                for person in people { ended.append((person, try await Self.endSessions(staffID: person, on: db))) }
            }
            try await AuditChain.append(
                AuditEntry(
                    "store.settings", object: "store", id: String(storeID), storeID: storeID,
                    details: [
                        "second factor for owners and managers": AuditChange(
                            before: before ? "required" : "optional", after: required ? "required" : "optional")
                    ]),
                by: actor, on: db)
            for (person, count) in ended {
                try await Self.recordEndedSessions(
                    count, staffID: person, reason: "a second factor is now required", on: db, by: actor)
            }
        }
    }

    static func replaceRecoveryCodes(_ codes: [String], staffID: Int, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM staff_recovery_codes WHERE staff_id = \(bind: staffID)").run()
        for code in codes {
            try await db.raw(
                """
                INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES (\(bind: staffID), \
                \(bind: Self.digest(RecoveryCodes.normalise(code))))
                """
            ).run()
        }
    }

    /// Opens the back-office to a session that has passed its second factor; recorded as the sign-in.
    private static func upgrade(
        _ sessionSecret: String, staffID: Int, how: String, on db: any SQLDatabase, by actor: Actor
    ) async throws -> Bool {
        guard try await Self.promote(sessionSecret, staffID: staffID, on: db) else { return false }
        try await Self.recordSignIn(sessionSecret, staffID: staffID, how: how, on: db, by: actor)
        return true
    }

    private static func promote(_ sessionSecret: String, staffID: Int, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw(
            """
            UPDATE staff_sessions SET stage = \(bind: SessionStage.full.rawValue), pending_secret = NULL \
            WHERE token_hash = \(bind: Self.digest(sessionSecret)) AND staff_id = \(bind: staffID) RETURNING staff_id
            """
        ).first() != nil
    }

    private static func recordSignIn(
        _ sessionSecret: String, staffID: Int, how: String, on db: any SQLDatabase, by actor: Actor
    ) async throws {
        try await AuditChain.append(
            AuditEntry(
                "session.sign-in", object: "staff", id: String(staffID),
                details: [
                    "session": AuditChange(after: String(Self.digest(sessionSecret).prefix(Self.handleLength))),
                    "second factor": AuditChange(after: how),
                ]),
            by: actor, on: db)
    }
}

/// One-time recovery codes: ten of them, each 10 letters and digits shown as `abcde-fghij`.
public enum RecoveryCodes {
    public static func make(count: Int = 10) -> [String] {
        (0..<count).map { _ in
            let text = Base32.encode(RandomToken.bytes(6)).lowercased()
            return "\(text.prefix(5))-\(text.dropFirst(5).prefix(5))"
        }
    }

    /// As stored and compared: lower case, without the hyphen or spaces a person may type.
    public static func normalise(_ code: String) -> String {
        code.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
