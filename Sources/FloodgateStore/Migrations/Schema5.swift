import SQLKit

/// Version 5: who may do what in which store (grants with an end), sessions with an idle end and their origin,
/// second factors, personal API tokens, and the hash-chained audit log.
enum Schema5 {
    @Sendable static func apply(_ db: any SQLDatabase) async throws {
        try await db.create(table: "staff_grants")
            .column("staff_id", type: .bigint, .notNull, .references("staff", "id"))
            .column("store_id", type: .bigint, .notNull, .references("stores", "id"))
            .column("role", type: .text, .notNull)
            // A contractor's areas, comma-separated (empty for every other role).
            .column("areas", type: .text, .notNull, .default(""))
            // Milliseconds since 1970 after which the grant stops counting; NULL: until revoked.
            .column("until_at", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("staff_id", "store_id")
            .run()
        // The roles of version 4 were for every store at once: owners stay owners of each store; the old
        // "staff" role becomes the least one that still does its work (orders up to ready), and an owner widens
        // it where needed.
        try await db.raw(
            """
            INSERT INTO staff_grants (staff_id, store_id, role, areas, created_at) \
            SELECT staff.id, stores.id, CASE WHEN staff.role = 'owner' THEN 'owner' ELSE 'florist' END, '', \
            staff.created_at FROM staff CROSS JOIN stores
            """
        ).run()
        try await db.raw("ALTER TABLE staff DROP COLUMN role").run()
        try await db.alter(table: "staff").column("totp_secret", type: .text).run()
        // The last TOTP time step used: a code is never taken twice.
        try await db.alter(table: "staff").column("totp_step", type: .bigint, .notNull, .default(0)).run()
        try await db.alter(table: "staff").column("password_changed_at", type: .bigint).run()

        try await db.alter(table: "staff_sessions").column("last_seen_at", type: .bigint, .notNull, .default(0)).run()
        try await db.alter(table: "staff_sessions").column("address", type: .text, .notNull, .default("")).run()
        try await db.alter(table: "staff_sessions").column("user_agent", type: .text, .notNull, .default("")).run()
        // A session between password and second factor (`second-factor`, `enrol`) opens nothing but that step.
        try await db.alter(table: "staff_sessions").column("stage", type: .text, .notNull, .default("full")).run()
        // The secret being enrolled, until its first code proves the authenticator app has it.
        try await db.alter(table: "staff_sessions").column("pending_secret", type: .text).run()
        try await db.create(index: "staff_sessions_staff").on("staff_sessions").column("staff_id").run()
        try await db.create(table: "staff_recovery_codes")
            .column("staff_id", type: .bigint, .notNull, .references("staff", "id"))
            // SHA-256 of the code: a copy of the table holds no usable code.
            .column("code_hash", type: .text, .notNull)
            .column("used_at", type: .bigint)
            .primaryKey("staff_id", "code_hash")
            .run()
        // Whether owners and managers must sign in with a second factor (on by default).
        try await db.alter(table: "stores").column("require_second_factor", type: .int, .notNull, .default(1)).run()

        try await db.create(table: "api_tokens")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("token_hash", type: .text, .notNull, .unique)
            .column("staff_id", type: .bigint, .notNull, .references("staff", "id"))
            .column("store_id", type: .bigint, .notNull, .references("stores", "id"))
            .column("role", type: .text, .notNull)
            .column("areas", type: .text, .notNull, .default(""))
            .column("name", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint)
            .column("revoked_at", type: .bigint)
            .column("last_used_at", type: .bigint)
            .run()

        try await Self.createAuditLog(db)
    }

    /// The audit log: entries numbered without gaps, each holding its predecessor's hash and its own; a one-row
    /// head naming the last; signed checkpoints that let old entries be pruned. Neither engine lets the
    /// application change or delete an entry (triggers), except entries a checkpoint already covers.
    private static func createAuditLog(_ db: any SQLDatabase) async throws {
        try await db.create(table: "audit_log")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("at", type: .bigint, .notNull)
            .column("actor_kind", type: .text, .notNull)
            .column("actor_id", type: .bigint)
            .column("actor_name", type: .text, .notNull)
            .column("actor_role", type: .text, .notNull)
            .column("store_id", type: .bigint)
            .column("address", type: .text, .notNull)
            .column("user_agent", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("object_type", type: .text, .notNull)
            .column("object_id", type: .text, .notNull)
            .column("details", type: .text, .notNull)
            .column("prev_hash", type: .text, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
        try await db.create(index: "audit_store").on("audit_log").column("store_id").column("id").run()
        try await db.create(index: "audit_object").on("audit_log").column("object_type").column("object_id")
            .column("id").run()
        try await db.create(index: "audit_actor").on("audit_log").column("actor_id").column("id").run()
        try await db.create(table: "audit_head")
            .column("id", type: .int, .primaryKey(autoIncrement: false))
            .column("seq", type: .bigint, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
        try await db.raw("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, \(bind: AuditChain.genesis))").run()
        try await db.create(table: "audit_checkpoints")
            .column("through_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("hash", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .column("signature", type: .text, .notNull)
            .run()

        if db.dialect.name == "sqlite" {
            try await db.raw(
                """
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """
            ).run()
            try await db.raw(
                """
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
                WHEN OLD.id > COALESCE((SELECT MAX(through_id) FROM audit_checkpoints), 0) \
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """
            ).run()
        } else {
            try await db.raw(
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                BEGIN \
                IF TG_OP = 'DELETE' THEN \
                IF OLD.id <= COALESCE((SELECT MAX(through_id) FROM audit_checkpoints), 0) THEN RETURN OLD; END IF; \
                END IF; \
                RAISE EXCEPTION 'audit_log is append-only'; \
                END $$
                """
            ).run()
            try await db.raw(
                """
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log \
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """
            ).run()
            try await db.raw(
                """
                CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log \
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
                """
            ).run()
        }
    }
}
