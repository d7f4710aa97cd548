import Synchronization

/// Values kept for a short time, each loaded once however many ask for it at once: the catalog, stores and
/// delivery windows that hot read paths take from memory instead of the database, and the storefront's
/// rendered pages (`PageCache`).
///
/// - **Fresh for `ttl`** from the moment its load began, so no value is older than that. This bound is what
///   makes it safe across several instances without any messaging between them. Nothing that decides money
///   or capacity trusts it alone: an order priced from it is confirmed by its own write (``ShownCatalog``),
///   and otherwise the order reads the database.
/// - **One load per key at a time**: when a value is missing or expired under load, the requests that miss it
///   wait for the one load already under way instead of each reading the database or rendering the page (no
///   stampede). If that load fails, a request that did not start it loads once more itself: the failure may
///   have been the starter's own (its deadline, say).
/// - **Dropped at once** by ``remove(_:)`` and ``remove(where:)``, together with any load under way for those
///   keys: a load that began before a change may have read what the change replaced, so nobody waits for
///   it any more and it is not kept.
/// - **Bounded**: past `capacity` keys it starts over.
public final class TTLCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
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
        var loads = 0

        func fresh(_ key: Key, now: ContinuousClock.Instant) -> Value? {
            guard let entry = self.entries[key], entry.expires > now else { return nil }
            return entry.value
        }
    }

    private let state = Mutex(State())
    private let ttl: Duration
    private let capacity: Int

    public init(ttl: Duration, capacity: Int = 1_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// How many loads have started since the cache was made (for tests and stats).
    public var loads: Int { self.state.withLock { $0.loads } }

    /// The value for `key` if it is in memory and fresh: never loading, never waiting.
    public func fresh(_ key: Key) -> Value? {
        let now = ContinuousClock.now
        return self.state.withLock { $0.fresh(key, now: now) }
    }

    /// The cached value, or the one being loaded, or a freshly loaded one.
    public func value(for key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await self.value(for: key, load: load, mayRetry: true)
    }

    /// Forgets `key` now, and any load of it under way.
    public func remove(_ key: Key) {
        self.state.withLock { state in
            state.entries.removeValue(forKey: key)
            state.loading.removeValue(forKey: key)
        }
    }

    /// Forgets every key that `matches` now (a store's pages, say), and any load of them under way.
    public func remove(where matches: (Key) -> Bool) {
        self.state.withLock { state in
            state.entries = state.entries.filter { !matches($0.key) }
            state.loading = state.loading.filter { !matches($0.key) }
        }
    }

    private func value(
        for key: Key, load: @escaping @Sendable () async throws -> Value, mayRetry: Bool
    ) async throws -> Value {
        let now = ContinuousClock.now
        let found: Lookup = self.state.withLock { state in
            if let value = state.fresh(key, now: now) { return .hit(value) }
            if let running = state.loading[key] { return .wait(running, started: false) }
            state.loads += 1
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
            // The first to see it end files it; a load that `remove` took off the list is not kept.
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
}
