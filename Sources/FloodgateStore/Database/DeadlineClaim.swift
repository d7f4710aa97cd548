import Synchronization

/// One piece of waiting work raced by its start and its deadline: exactly one of them wins.
///
/// The work claims it when it gets its connection (and from then on runs to its end); the deadline claims
/// it when it passes first (and the work never starts). Shared by ``DeadlineRace`` (PostgreSQL's pool) and
/// ``GroupCommitWriter`` (SQLite's writer queue).
final class DeadlineClaim: Sendable {
    private let state = Atomic<Int>(0)
    private let timer = Mutex<Task<Void, Never>?>(nil)

    /// The work starts now; false if the deadline came first.
    func start() -> Bool {
        let won = self.state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged
        if won { self.timer.withLock { $0?.cancel() } }
        return won
    }

    /// The deadline came first: the work has been answered and must not start.
    var isExpired: Bool { self.state.load(ordering: .acquiring) == 2 }

    /// The deadline passed before the work started; false if it had started.
    func expire() -> Bool {
        self.state.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing).exchanged
    }

    /// Calls `onExpiry` at `deadline` if the work has not started by then.
    func arm(at deadline: ContinuousClock.Instant, onExpiry: @escaping @Sendable () -> Void) {
        let task = Task {
            try? await Task.sleep(until: deadline)
            if !Task.isCancelled, self.expire() { onExpiry() }
        }
        self.timer.withLock { $0 = task }
    }
}
