import FloodgateCore

/// Waits for a pooled connection no longer than the current request's ``RequestDeadline``.
///
/// The work and a timer race for one flag: the work claims it the moment it holds a connection (and from
/// then on runs to its end — a transaction is never cut short), the timer claims it at the deadline (and
/// the work, still waiting for its connection, is cancelled and never starts). Exactly one of them wins,
/// so a request is either shed before it touched anything or served whole.
enum DeadlineRace {
    /// Runs `work`, which calls `started()` as soon as it has its connection.
    static func run<T: Sendable>(
        _ work: @escaping @Sendable (_ started: @escaping @Sendable () throws -> Void) async throws -> T
    ) async throws -> T {
        guard let deadline = RequestDeadline.current else { return try await work {} }
        try RequestDeadline.check()
        let claim = DeadlineClaim()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await work { guard claim.start() else { throw DeadlineExceeded() } }
            }
            group.addTask {
                try? await Task.sleep(until: deadline)
                if claim.expire() { throw DeadlineExceeded() }
                return nil
            }
            while let result = try await group.next() {
                if let value = result {
                    group.cancelAll()
                    return value
                }
            }
            throw DeadlineExceeded()
        }
    }
}
