import FloodgateCore
import FloodgateStore
import Foundation
import Logging
import ServiceLifecycle

extension AppSettings {
    /// The configuration as the audit log records a start: what was set, never a secret (the database URL without
    /// its password, whether an admin token or a cash register password is set, not what it is).
    var auditDescription: [String: AuditChange] {
        var values: [String: String] = [
            "version": FloodgateVersion.current, "role": self.role.rawValue,
            "database": self.store.database.description, "data": self.store.dataDirectory,
            "demo": self.store.loadDemo ? "yes" : "no", "listen": "\(self.http.host):\(self.http.port)",
            "public url": self.http.publicURL, "admin token": self.http.adminToken == nil ? "not set" : "set",
            "admission": self.http.admission.enabled ? "on" : "off",
            "session idle minutes": String(self.http.staffSessions.idle / 60_000),
            "session hours": String(self.http.staffSessions.lifetime / 3_600_000),
            "mail": self.smtpURL.flatMap { URL(string: $0)?.host } ?? "files",
            "cash register": self.cashier.flatMap { URL(string: $0.baseURL)?.host } ?? "not set",
        ]
        values["host"] = ProcessInfo.processInfo.hostName
        return values.mapValues { AuditChange(after: $0) }
    }
}

/// Records the shop's start in the audit log, and writes the log's head (its last entry's number and hash) to the
/// process log at start and every `interval`: a copy kept outside the database, so that a rewrite of the table,
/// hashes and all, is caught by `floodgate audit verify --expect SEQ:HASH` against it.
struct AuditHeadReporter: Service {
    let database: Database
    let settings: AppSettings
    let logger: Logger
    var interval: Duration = .seconds(600)

    func run() async throws {
        try await self.database.transaction { db in
            try await AuditChain.append(
                AuditEntry("shop.start", details: self.settings.auditDescription), by: .system, on: db)
        }
        var last: Int64 = -1
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let head = try await SQLAuditLog(database: self.database).head()
            if head.seq != last {
                self.logger.info("audit log head", metadata: ["audit_head": "\(head.seq):\(head.hash)"])
                last = head.seq
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }
}
