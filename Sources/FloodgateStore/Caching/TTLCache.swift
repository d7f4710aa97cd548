import Synchronization

/// Values kept for a short time to spare the database on hot read paths.
///
/// Staleness is bounded by `ttl`, which is what makes it safe across several instances without any
/// messaging between them. Nothing that decides money or capacity trusts it alone: an order priced from it
/// is confirmed by its own write (``CheckoutMemory``), and otherwise the order reads the database.
///
/// One load per key at a time: when a value expires under load, the requests that miss it wait for the one
/// load already under way instead of each reading the database (checkouts and pages read the same values).
/// The same shape as the storefront's `PageCache`, whose renders are shared the same way.
final class TTLCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    private enum Lookup {
        case hit(Value)
        /// Waits for the key's load under way; `started` when this request started it.
        case wait(Task<Entry, any Error>, started: Bool)
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// The load under way per key. Only the load still listed here when it ends is kept.
        var loading: [Key: Task<Entry, any Error>] = [:]
    }

    private let state = Mutex(State())
    private let ttl: Duration
    private let capacity: Int

    init(ttl: Duration, capacity: Int = 1_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The cached value, or the one being loaded, or a freshly loaded one.
    func value(for key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await self.value(for: key, load: load, mayRetry: true)
    }

    private func value(for key: Key, load: @escaping @Sendable () async throws -> Value, mayRetry: Bool) async throws -> Value {
        let now = ContinuousClock.now
        let found: Lookup = self.state.withLock { state in
            if let entry = state.entries[key], entry.expires > now { return .hit(entry.value) }
            if let running = state.loading[key] { return .wait(running, started: false) }
            let running = Task { [ttl] in
                let started = ContinuousClock.now
                return Entry(value: try await load(), expires: started.advanced(by: ttl))
            }
            state.loading[key] = running
            return .wait(running, started: true)
        }
        let (task, started): (Task<Entry, any Error>, Bool)
        switch found {
        case .hit(let value): return value
        case .wait(let running, let starter): (task, started) = (running, starter)
        }
        let result = await task.result
        self.state.withLock { state in
            // The first to see it end files it; a load that ``remove(_:)`` took off the list is not kept.
            guard state.loading[key] == task else { return }
            state.loading[key] = nil
            guard case .success(let entry) = result else { return }
            // A bound on memory whatever the keys: past capacity, start over.
            if state.entries.count >= self.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = entry
        }
        if case .failure = result, !started, mayRetry {
            // The load failed for the request that started it (its deadline, say), not for this one: once more.
            return try await self.value(for: key, load: load, mayRetry: false)
        }
        return try result.get().value
    }

    func remove(_ key: Key) {
        self.state.withLock { state in
            state.entries.removeValue(forKey: key)
            // A load under way may have read what the change replaced: nobody new waits for it, nor keeps it.
            state.loading.removeValue(forKey: key)
        }
    }
}
