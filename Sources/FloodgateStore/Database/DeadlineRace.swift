import FloodgateCore
import Synchronization

/// Waits for a pooled connection no longer than the current request's ``RequestDeadline``.
///
/// The work and a timer race for one flag: the work claims it the moment it holds a connection (and from
/// then on runs to its end — a transaction is never cut short), the timer claims it at the deadline (and
/// the work, still waiting for its connection, is cancelled and never starts). Exactly one of them wins,
/// so a request is either shed before it touched anything or served whole.
enum DeadlineRace {
    private final class Flag: Sendable {
        let state = Atomic<Int>(0)

        /// 1: the work started; 2: the deadline passed first.
        func claim(_ value: Int) -> Bool {
            self.state.compareExchange(expected: 0, desired: value, ordering: .acquiringAndReleasing).exchanged
        }
    }

    /// Runs `work`, which calls `started()` as soon as it has its connection.
    static func run<T: Sendable>(
        _ work: @escaping @Sendable (_ started: @escaping @Sendable () throws -> Void) async throws -> T
    ) async throws -> T {
        guard let deadline = RequestDeadline.current else { return try await work {} }
        try RequestDeadline.check()
        let flag = Flag()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await work { guard flag.claim(1) else { throw DeadlineExceeded() } }
            }
            group.addTask {
                try? await Task.sleep(until: deadline)
                if flag.claim(2) { throw DeadlineExceeded() }
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
