import FloodgateStore
import Logging
import Synchronization

/// Runs one claimed tick of a task within its budget and writes the run log.
///
/// The run gets a ``QueryBudget``: each query past the limit throws, and so does each query after the
/// run was cancelled at its timeout. The log is written at the timeout even if the run has not yet
/// noticed, so a task that hangs cannot hang the log or the quarantine.
struct TaskRunner {
    let store: any TaskRepository
    let worker: String
    let logger: Logger

    struct Start: Sendable {
        let task: any ScheduledTask
        let record: TaskRecord
        let runID: Int
        let tick: Int64
    }

    /// Runs it; `onStart` receives a way to cancel the run (an operator pausing the task).
    func run(_ start: Start, onStart: @Sendable (@escaping @Sendable () -> Void) -> Void = { _ in }) async {
        let name = start.record.name
        let budget = QueryBudget(limit: Int(start.record.maxQueries))
        let timeout = Duration.milliseconds(start.record.timeoutMs)
        var logger = self.logger
        logger[metadataKey: "task"] = "\(name)"
        logger[metadataKey: "run"] = "\(start.runID)"
        let context = TaskContext(runID: start.runID, tick: start.tick, worker: self.worker, logger: logger)
        let ending = await Self.race(timeout: timeout, onStart: onStart) {
            try await QueryBudget.$current.withValue(budget) { try await start.task.run(context) }
        }
        let outcome: TaskOutcome
        let message: String?
        switch ending {
        case .finished(nil):
            (outcome, message) = (.ok, nil)
        case .finished(let error as QueryBudgetExceeded):
            (outcome, message) = (.budget, error.description)
        case .finished(is CancellationError):
            (outcome, message) = (.cancelled, "Stopped because the task was paused or disabled.")
        case .finished(let error?):
            (outcome, message) = (.error, "\(error)")
        case .timedOut:
            (outcome, message) = (.timeout, "The run took longer than \(timeout) and was cancelled.")
        }
        do {
            let result = try await self.store.finish(
                runID: start.runID, task: name, outcome: outcome, queries: budget.used, error: message)
            let metadata: Logger.Metadata = [
                "outcome": "\(outcome.rawValue)", "queries": "\(budget.used)", "breaches": "\(result.breaches)",
            ]
            if result.quarantined {
                logger.error(
                    "task quarantined: paused after repeated budget breaches; resume with `floodgate tasks resume \(name)`",
                    metadata: metadata)
            } else if outcome != .ok {
                logger.warning("task run failed", metadata: metadata.merging(["error": "\(message ?? "")"]) { $1 })
            } else {
                logger.debug("task run finished", metadata: metadata)
            }
        } catch {
            logger.error("could not record the task run", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    enum Ending: Sendable {
        case finished((any Error)?)
        case timedOut
    }

    /// Runs `body` in a task of its own and returns when it ends or at `timeout` (cancelling it), whichever
    /// comes first — without waiting for a body that ignores cancellation.
    static func race(
        timeout: Duration, onStart: @Sendable (@escaping @Sendable () -> Void) -> Void = { _ in },
        _ body: @escaping @Sendable () async throws -> Void
    ) async -> Ending {
        let race = Race()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Ending, Never>) in
            race.start(continuation)
            let work = Task {
                do {
                    try await body()
                    race.finish(.finished(nil))
                } catch {
                    race.finish(.finished(error))
                }
            }
            race.watch(work, timeout: timeout)
            onStart { work.cancel() }
        }
    }
}

/// The state of one ``TaskRunner/race(timeout:_:)``: the first ending resumes the caller, once.
private final class Race: Sendable {
    private struct State {
        var continuation: CheckedContinuation<TaskRunner.Ending, Never>?
        var timer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<TaskRunner.Ending, Never>) {
        self.state.withLock { $0.continuation = continuation }
    }

    func watch(_ work: Task<Void, Never>, timeout: Duration) {
        let timer = Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            self.finish(.timedOut)
            work.cancel()
        }
        let finished = self.state.withLock { state in
            state.timer = timer
            return state.continuation == nil
        }
        if finished { timer.cancel() }
    }

    func finish(_ ending: TaskRunner.Ending) {
        let (continuation, timer) = self.state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        continuation?.resume(returning: ending)
    }
}
