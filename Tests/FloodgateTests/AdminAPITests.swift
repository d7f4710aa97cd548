import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

@Suite("The admin API")
struct AdminAPITests {
    let auth = [("Authorization", "Bearer s3cret-admin")]

    @Test("Closed without a configured token; refuses missing and wrong tokens")
    func closedAndRefusing() async throws {
        try await TestServer.run(.sqlite, configure: { $0.role = .web }) { server in
            let closed = try await server.get("/api/v1/admin/jobs", headers: self.auth)
            #expect(closed.status == 401 && closed.problemType == "admin-closed")
        }
        try await TestServer.run(
            .sqlite,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
            }
        ) { server in
            for headers in [[], [("Authorization", "Bearer s3cret-admiN")], [("Authorization", "s3cret-admin")]] {
                let refused = try await server.get("/api/v1/admin/tasks", headers: headers)
                #expect(refused.status == 401 && refused.problemType == "unauthorized")
                #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test(
        "Jobs and tasks: stats, dead jobs and retry, task list, runs, pause, resume, run now",
        arguments: TestEngine.available)
    func operatorView(engine: TestEngine) async throws {
        try await TestServer.run(
            engine,
            configure: {
                $0.role = .web
                $0.http.adminToken = "s3cret-admin"
            }
        ) { server in
            #expect(
                try await server.postJSON("/api/v1/stores/petals/orders", try await server.orderBody()).status == 201)
            let stats = try await server.get("/api/v1/admin/jobs", headers: self.auth)
            #expect(stats.status == 200)
            #expect((stats.object["counts"] as? [String: Int])?["queued"] == 3)
            #expect(stats.object["due"] as? Int == 3)

            try await server.database.execute(
                "UPDATE jobs SET state = 'dead', last_error = 'relay refused' WHERE kind = 'email.shop-notification'")
            let dead = try await server.get("/api/v1/admin/jobs/dead", headers: self.auth).array
            #expect(dead.count == 1 && dead.first?["lastError"] as? String == "relay refused")
            let id = try #require(dead.first?["id"] as? Int)
            #expect(try await server.request(.POST, "/api/v1/admin/jobs/\(id)/retry", headers: self.auth).status == 200)
            #expect(
                try await server.request(.POST, "/api/v1/admin/jobs/\(id)/retry", headers: self.auth).status == 404,
                "no longer dead")
            #expect(
                try await server.get("/api/v1/admin/jobs/dead?limit=0", headers: self.auth).problemType == "validation")

            // The web process registers no tasks; a worker does. Register the built-ins as one would.
            try await SQLTaskRepository(database: server.database).register([
                TaskDefinition(name: "prune", schedule: "17 3 * * *", timeout: .seconds(300), maxQueries: 20_000)
            ])
            let tasks = try await server.get("/api/v1/admin/tasks", headers: self.auth).array
            #expect(tasks.map { $0["name"] as? String } == ["prune"])
            #expect(
                try await server.request(.POST, "/api/v1/admin/tasks/prune/pause", headers: self.auth).status == 200)
            #expect(
                try await server.get("/api/v1/admin/tasks", headers: self.auth).array.first?["pausedReason"] as? String
                    == "Paused through the admin API.")
            #expect(
                try await server.request(.POST, "/api/v1/admin/tasks/prune/resume", headers: self.auth).status == 200)
            #expect(try await server.request(.POST, "/api/v1/admin/tasks/prune/run", headers: self.auth).status == 200)
            #expect(
                try await server.database.scalar(
                    "SELECT COUNT(*) FROM scheduled_tasks WHERE paused_at IS NULL AND run_requested_at IS NOT NULL")
                    == 1)
            #expect(try await server.get("/api/v1/admin/tasks/prune/runs", headers: self.auth).array.isEmpty)
            let missing = try await server.request(.POST, "/api/v1/admin/tasks/nosuch/pause", headers: self.auth)
            #expect(missing.status == 404 && missing.problemType == "not-found")
        }
    }
}
