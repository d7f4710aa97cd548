import Synchronization

/// Values kept for a short time to spare the database on hot read paths.
///
/// Staleness is bounded by `ttl`, which is what makes it safe across several instances without any
/// messaging between them. Nothing that decides money or capacity trusts it alone: an order priced from it
/// is confirmed by its own write (``CheckoutMemory``), and otherwise the order reads the database.
///
/// One load per key at a time: when a value expires under load, the requests that miss it wait for the one
/// load already under way instead of each reading the database (checkouts and pages read the same values).
final class TTLCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    private struct Loading {
        let id: Int
        let task: Task<Value, any Error>
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var loading: [Key: Loading] = [:]
        var loads = 0
        /// Counts ``remove(_:)`` calls: a load that began before one does not store what it read.
        var removals = 0
    }

    /// What a request that looked the key up does next.
    private enum Next {
        case cached(Value)
        /// Waits for the load under way; `started` when this request started it.
        case wait(Task<Value, any Error>, started: Bool)
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
        let next = self.state.withLock { state -> Next in
            if let entry = state.entries[key], entry.expires > .now { return .cached(entry.value) }
            if let loading = state.loading[key] { return .wait(loading.task, started: false) }
            state.loads += 1
            let (id, removals) = (state.loads, state.removals)
            let task = Task { try await self.load(key, id: id, removals: removals, load) }
            state.loading[key] = Loading(id: id, task: task)
            return .wait(task, started: true)
        }
        switch next {
        case .cached(let value):
            return value
        case .wait(let loading, let started):
            do {
                return try await loading.value
            } catch where !started {
                // The load failed for the request that started it (its deadline, say), not for this one.
                return try await self.load(key, id: nil, removals: self.state.withLock { $0.removals }, load)
            }
        }
    }

    /// Loads the value and keeps it, unless it was removed meanwhile; `id` is the load others wait for, if any.
    private func load(_ key: Key, id: Int?, removals: Int, _ load: () async throws -> Value) async throws -> Value {
        let started = ContinuousClock.now
        defer {
            self.state.withLock { state in
                if let id, state.loading[key]?.id == id { state.loading.removeValue(forKey: key) }
            }
        }
        let value = try await load()
        self.state.withLock { state in
            guard state.removals == removals else { return }
            // A bound on memory whatever the keys: past capacity, start over.
            if state.entries.count >= self.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(value: value, expires: started.advanced(by: self.ttl))
        }
        return value
    }

    func remove(_ key: Key) {
        self.state.withLock { state in
            state.entries.removeValue(forKey: key)
            // A load under way may have read what the change replaced: nobody new waits for it, nor keeps it.
            state.loading.removeValue(forKey: key)
            state.removals += 1
        }
    }
}
