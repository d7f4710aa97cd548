import FloodgateCore
import FloodgateStore
import Hummingbird

/// `/api/v1/admin`: the operator's view of deferred work — the same data `floodgate jobs` and
/// `floodgate tasks` print — for a dashboard or a script.
struct AdminAPIController: Sendable {
    let jobs: any JobQueue
    let tasks: any TaskRepository
    let receipts: any ReceiptRepository

    func addRoutes(to admin: RouterGroup<AppRequestContext>) {
        admin.get("jobs", use: self.jobStats)
        admin.get("jobs/dead", use: self.deadJobs)
        admin.post("jobs/:id/retry", use: self.retryJob)
        admin.get("tasks", use: self.listTasks)
        admin.get("tasks/:name/runs", use: self.taskRuns)
        admin.post("tasks/:name/pause", use: self.pauseTask)
        admin.post("tasks/:name/resume", use: self.resumeTask)
        admin.post("tasks/:name/run", use: self.runTask)
        admin.get("receipts", use: self.receiptCounts)
    }

    @Sendable func jobStats(
        _ request: Request, context: AppRequestContext
    ) async throws -> AdminDocument<JobStatsDocument> {
        let stats = try await self.jobs.stats()
        return AdminDocument(JobStatsDocument(counts: stats.counts, due: stats.due))
    }

    @Sendable func deadJobs(_ request: Request, context: AppRequestContext) async throws -> AdminDocument<[Job]> {
        AdminDocument(try await self.jobs.dead(limit: try Self.limit(request)))
    }

    @Sendable func retryJob(
        _ request: Request, context: AppRequestContext
    ) async throws -> AdminDocument<ActionDocument> {
        let id = try context.id("id", "job")
        guard try await self.jobs.retryDead(id: id, by: context.adminActor) else {
            throw Problem.notFound("There is no dead job \(id).")
        }
        return AdminDocument(ActionDocument(done: "Job \(id) is queued again."))
    }

    @Sendable func listTasks(_ request: Request, context: AppRequestContext) async throws -> AdminDocument<[TaskRecord]>
    {
        AdminDocument(try await self.tasks.all())
    }

    @Sendable func taskRuns(_ request: Request, context: AppRequestContext) async throws -> AdminDocument<[TaskRun]> {
        let name = try await self.existingTask(context)
        return AdminDocument(try await self.tasks.runs(task: name, limit: try Self.limit(request)))
    }

    @Sendable func pauseTask(
        _ request: Request, context: AppRequestContext
    ) async throws -> AdminDocument<ActionDocument> {
        let name = try await self.existingTask(context)
        _ = try await self.tasks.pause(name, reason: "Paused through the admin API.", by: context.adminActor)
        return AdminDocument(ActionDocument(done: "Task \(name) is paused."))
    }

    @Sendable func resumeTask(
        _ request: Request, context: AppRequestContext
    ) async throws -> AdminDocument<ActionDocument> {
        let name = try await self.existingTask(context)
        _ = try await self.tasks.resume(name, by: context.adminActor)
        return AdminDocument(ActionDocument(done: "Task \(name) runs on its schedule again."))
    }

    @Sendable func runTask(_ request: Request, context: AppRequestContext) async throws -> AdminDocument<ActionDocument>
    {
        let name = try await self.existingTask(context)
        _ = try await self.tasks.requestRun(name, by: context.adminActor)
        return AdminDocument(ActionDocument(done: "Task \(name) will run within a second on a worker."))
    }

    @Sendable func receiptCounts(
        _ request: Request, context: AppRequestContext
    ) async throws -> AdminDocument<[String: Int]> {
        AdminDocument(try await self.receipts.counts())
    }

    private func existingTask(_ context: AppRequestContext) async throws -> String {
        let name = try context.parameters.require("name")
        guard try await self.tasks.task(named: name) != nil else {
            throw Problem.notFound("There is no task '\(name)'.")
        }
        return name
    }

    private static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["limit"] else { return 50 }
        guard let limit = Int(text), (1...1_000).contains(limit) else {
            throw Problem.validation([FieldError(field: "limit", message: "Give a whole number from 1 to 1000.")])
        }
        return limit
    }
}

/// Any encodable answer of the admin API, as JSON.
struct AdminDocument<Value: Encodable & Sendable>: ResponseEncodable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        try self.value.encode(to: encoder)
    }
}

struct JobStatsDocument: Encodable, Sendable {
    let counts: [String: Int]
    let due: Int
}

struct ActionDocument: Encodable, Sendable {
    let done: String
}
