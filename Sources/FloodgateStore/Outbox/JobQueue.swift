import FloodgateCore

/// The outbox: jobs written in business transactions, claimed by workers under a lease, run at least once.
public protocol JobQueue: Sendable {
    /// Adds jobs on their own (an operator's, a test's); business writes add theirs in their own transaction.
    func enqueue(_ jobs: [NewJob]) async throws
    /// Takes up to `limit` due jobs of these kinds for `worker`, for `lease`; another worker may take them after it.
    func claim(limit: Int, worker: String, lease: Duration, kinds: [String]) async throws -> [Job]
    /// Marks jobs done; a job whose lease passed to another worker is left to that worker.
    func complete(_ ids: [Int], worker: String) async throws
    /// Records a failed attempt: retried after `retryAfter`, or dead when its attempts are used up.
    func fail(_ job: Job, worker: String, error: String, retryAfter: Duration) async throws
    /// Hands claimed jobs back, due again at `at` (milliseconds since 1970), without spending an attempt.
    func release(_ ids: [Int], worker: String, until at: Int64) async throws
    /// Gives a dead job a fresh set of attempts; false if there is no such dead job.
    func retryDead(id: Int, by actor: Actor) async throws -> Bool
    /// Jobs per state, and how many are due now.
    func stats() async throws -> JobStats
    /// Dead jobs with their last error, newest first.
    func dead(limit: Int) async throws -> [Job]
}
