import FloodgateCore
import FloodgateJobs
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@Suite("Visitor requests never execute jobs")
struct VisitorScopeTests {
    /// Records, for every run of an order's job, the worker context and the visitor request it ran in.
    final class Contexts: Sendable {
        let runs = Mutex<[(job: JobContext?, visitor: String?)]>([])
    }

    struct Recording: JobHandler {
        let kind: String
        let contexts: Contexts
        func run(_ job: Job, logger: Logger) async throws {
            self.contexts.runs.withLock { $0.append((JobContext.current, VisitorScope.current)) }
        }
    }

    @Test(
        "Orders placed over HTTP leave their jobs queued; a worker runs them outside any request",
        arguments: TestEngine.available)
    func jobsRunOnlyInWorkers(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.role = .web }) { server in
            for _ in 0..<3 {
                #expect(
                    try await server.postJSON("/api/v1/stores/petals/orders", try await server.orderBody()).status
                        == 201)
                let form = try await server.get("/s/petals/")
                #expect(form.status == 200)
            }
            // Requests are answered; nothing ran the jobs they wrote.
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM jobs WHERE state = 'queued'") == 9)
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM jobs WHERE attempts > 0") == 0)

            let contexts = Contexts()
            let handlers = JobKind.forOrder(
                in: Store(
                    id: 0, slug: "", name: "", tagline: "", currency: "RUB", timeZone: "", orderPrefix: "",
                    notifyEmail: "", fiscalReceipts: true)
            )
            .map { Recording(kind: $0, contexts: contexts) }
            let worker = WorkerTests.worker(SQLJobQueue(database: server.database), name: "w", handlers: handlers)
            #expect(try await worker.runOnce() == 9)
            let runs = contexts.runs.withLock { $0 }
            #expect(runs.count == 9)
            #expect(runs.allSatisfy { $0.job?.worker == "w" && $0.visitor == nil })
        }
    }

    @Test("A worker called from inside a visitor request refuses to run the job")
    func workerRefusesInsideRequest() async throws {
        try await TestEngine.sqlite.withQueue { _, queue in
            try await queue.enqueue([NewJob(kind: "test.recording", maxAttempts: 1)])
            let contexts = Contexts()
            let worker = WorkerTests.worker(
                queue, name: "w", handlers: [Recording(kind: "test.recording", contexts: contexts)])
            try await VisitorScope.$current.withValue("/s/petals/checkout") { _ = try await worker.runOnce() }
            #expect(contexts.runs.withLock { $0.isEmpty })
            #expect(
                try await queue.dead(limit: 1).first?.lastError?.contains(
                    "Refused to run a job inside the visitor request /s/petals/checkout") == true)
        }
    }
}
