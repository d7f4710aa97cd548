import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

/// Issue 24: personal API tokens reach the admin API as their role allows, in their store only, and stop with
/// their person's access.
@Suite("Personal API tokens: scoped like sessions, shown once, stored hashed, revocable, expiring")
struct APITokenTests {
    enum Holder: String, CaseIterable, Sendable {
        case owner, manager, courier, catalogContractor, tasksContractor
    }

    /// Tasks and jobs are the whole shop's: only a token whose person holds `runTasks` in every store (the owner of
    /// both here) reaches them; the tasks contractor of one store does not.
    static let operations: Set<Holder> = [.owner]
    static let catalog: Set<Holder> = [.owner, .manager, .catalogContractor]

    /// The admin API's routes and who may call them with a personal token.
    static let table: [String: Set<Holder>] = [
        "GET /api/v1/admin/jobs": operations, "GET /api/v1/admin/jobs/dead": operations,
        "POST /api/v1/admin/jobs/{id}/retry": operations, "GET /api/v1/admin/tasks": operations,
        "GET /api/v1/admin/tasks/{name}/runs": operations, "POST /api/v1/admin/tasks/{name}/pause": operations,
        "POST /api/v1/admin/tasks/{name}/resume": operations, "POST /api/v1/admin/tasks/{name}/run": operations,
        "GET /api/v1/admin/receipts": operations, "GET /api/v1/admin/admission": operations,
        "PATCH /api/v1/admin/stores/{store}/products/{id}": catalog,
    ]

    static func makeTokens(_ server: TestServer) async throws -> [Holder: String] {
        let tokens = SQLAPITokenRepository(database: server.database)
        var secrets: [Holder: String] = [:]
        for holder in Holder.allCases {
            let (role, areas, tokenRole): (StaffRole, Set<ContractorArea>, StaffRole) =
                switch holder {
                case .owner: (.owner, [], .owner)
                case .manager: (.manager, [], .manager)
                case .courier: (.courier, [], .courier)
                case .catalogContractor: (.contractor, [.catalog], .contractor)
                case .tasksContractor: (.contractor, [.tasks], .contractor)
                }
            let id = try await server.addStaff("\(holder.rawValue.lowercased())@shop.example", role: role, areas: areas)
            if holder == .owner || holder == .tasksContractor {
                try await SQLStaffRepository(database: server.database).grant(
                    staffID: id, StaffGrant(storeID: 2, role: holder == .owner ? .owner : .florist), by: .system)
            }
            secrets[holder] = try await tokens.create(
                staffID: id, grant: StaffGrant(storeID: 1, role: tokenRole, areas: areas), name: "script",
                by: .system
            ).secret
        }
        return secrets
    }

    static func call(
        _ server: TestServer, _ method: String, _ path: String, token: String
    ) async throws -> RawAnswer {
        try await server.raw(
            method, path,
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
            body: method == "PATCH" ? #"{"price": 1234}"# : "")
    }

    @Test(
        "Each token reaches exactly its routes of the admin API, in its own store only",
        arguments: TestEngine.available)
    func routesByToken(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let secrets = try await Self.makeTokens(server)
            let routes = try await BackOfficeGuardTests.routes(server).filter {
                $0.path.hasPrefix("/api/v1/admin") && !["HEAD", "OPTIONS"].contains($0.method)
            }
            var walked: Set<String> = []
            for route in routes {
                let path = route.path.replacingOccurrences(of: "{store}", with: "petals")
                    .replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{name}", with: "prune")
                let key = "\(route.method) \(route.path)"
                if try await Self.call(server, route.method, path, token: secrets[.owner]!).status == 405 { continue }
                walked.insert(key)
                for holder in Holder.allCases {
                    let answer = try await Self.call(server, route.method, path, token: secrets[holder]!)
                    if Self.table[key]?.contains(holder) == true {
                        #expect(
                            ![401, 403].contains(answer.status) && answer.status < 500,
                            "\(holder) \(key): \(answer.status) \(answer.body.prefix(200))")
                    } else {
                        #expect(answer.status == 403, "\(holder) escalated: \(key): \(answer.status)")
                    }
                    if path.contains("/stores/petals/") {
                        let other = path.replacingOccurrences(of: "/stores/petals/", with: "/stores/greenbox/")
                        let elsewhere = try await Self.call(server, route.method, other, token: secrets[holder]!)
                        #expect(elsewhere.status == 403, "\(holder) crossed stores: \(key): \(elsewhere.status)")
                    }
                }
            }
            #expect(walked == Set(Self.table.keys), "walked \(walked.symmetricDifference(Self.table.keys))")
            let change = try #require(
                try await SQLAuditLog(database: server.database).entries(AuditFilter(action: "catalog.update")).first)
            #expect(change.actor.kind == .apiToken && change.actor.name.contains("(token "))
            #expect(
                try await server.database.scalar("SELECT COUNT(*) FROM api_tokens WHERE token_hash LIKE 'fgp_%'") == 0)
        }
    }

    @Test(
        "A token stops when revoked, when it expires, and with its person's access (disabled, removed)",
        arguments: TestEngine.available)
    func tokensEnd(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let tokens = SQLAPITokenRepository(database: server.database)
            let staff = SQLStaffRepository(database: server.database)
            let id = try await server.addStaff("olga@shop.example", role: .owner)
            // The owner of both stores: tasks are the whole shop's.
            try await staff.grant(staffID: id, StaffGrant(storeID: 2, role: .owner), by: .system)
            func make(until: Int64? = nil) async throws -> String {
                try await tokens.create(
                    staffID: id, grant: StaffGrant(storeID: 1, role: .owner, until: until), name: "cron", by: .system
                ).secret
            }
            func status(_ token: String) async throws -> Int {
                try await Self.call(server, "GET", "/api/v1/admin/tasks", token: token).status
            }
            // A token never gives more than its person's access: a courier's "manager" token is not made.
            let courier = try await server.addStaff("kolya@shop.example", role: .courier)
            await #expect(throws: StaffError.noSuchGrant) {
                _ = try await tokens.create(
                    staffID: courier, grant: StaffGrant(storeID: 1, role: .manager), name: "more", by: .system)
            }
            await #expect(throws: StaffError.noSuchGrant) {
                _ = try await tokens.create(
                    staffID: courier, grant: StaffGrant(storeID: 2, role: .courier), name: "elsewhere", by: .system)
            }
            let revoked = try await make()
            #expect(try await status(revoked) == 200)
            let number = try #require(try await tokens.tokens(staffID: id).first?.id)
            #expect(try await tokens.revoke(id: number, by: .system))
            #expect(try await status(revoked) == 401)

            let expiring = try await make(until: WallClock.nowMillis + 3_600_000)
            #expect(try await status(expiring) == 200)
            // Its end comes (moved to a moment ago rather than waited for).
            try await server.database.execute(
                "UPDATE api_tokens SET expires_at = \(WallClock.nowMillis - 1) WHERE expires_at IS NOT NULL")
            #expect(try await status(expiring) == 401)

            let live = try await make()
            try await staff.setDisabled(staffID: id, true, by: .system)
            #expect(try await status(live) == 401)
            try await staff.setDisabled(staffID: id, false, by: .system)
            #expect(try await status(live) == 200)
            try await staff.revoke(staffID: id, storeID: 1, by: .system)
            #expect(try await status(live) == 401)
            #expect(try await status("fgp_" + String(repeating: "0", count: 48)) == 401)
        }
    }
}
