import FloodgateStore
import Logging

/// Runs one kind of job. Jobs are delivered at least once, so a handler must be idempotent: doing the
/// same job twice has the effect of doing it once (external calls carry an idempotency key).
public protocol JobHandler: Sendable {
    /// The `kind` of the jobs this handler runs, e.g. `fiscal.receipt`.
    var kind: String { get }
    /// The external system the job calls (`cashier`, `smtp`), whose circuit breaker it sits behind.
    var integration: String? { get }
    /// Does the job; throwing records a failed attempt with the error's description.
    func run(_ job: Job, logger: Logger) async throws
}

extension JobHandler {
    public var integration: String? { nil }
}

/// A failure that says nothing about the integration's health (the job itself is wrong): it does not
/// count towards opening a circuit breaker.
public protocol PermanentJobFailure: Error {
    /// Whether trying again cannot help, so the job is dead at once with this error as its reason (an operator
    /// may still retry it). `false` by default: the job is retried until its attempts run out, as after any
    /// other failure.
    var isFinal: Bool { get }
}

extension PermanentJobFailure {
    public var isFinal: Bool { false }
}

/// Which worker is running which job, visible to any code the job calls.
///
/// Set only by ``Worker``: code that must never run on a visitor's request can check it is inside a job.
public struct JobContext: Sendable, Hashable {
    public let worker: String
    public let jobID: Int
    public let attempt: Int

    @TaskLocal public static var current: JobContext?
}

/// Why a job could not be run at all.
public enum JobError: Error, CustomStringConvertible, Sendable {
    case noHandler(kind: String)
    case timedOut(after: Duration)
    case onVisitorRequest(path: String)

    public var description: String {
        switch self {
        case .noHandler(let kind): "No handler runs jobs of kind '\(kind)' in this version of floodgate."
        case .timedOut(let limit): "The job did not finish within \(limit) and was cancelled."
        case .onVisitorRequest(let path):
            "Refused to run a job inside the visitor request \(path): jobs run only in workers."
        }
    }
}
