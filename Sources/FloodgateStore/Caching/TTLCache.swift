import Synchronization

/// Values kept for a short time to spare the database on hot read paths.
///
/// Staleness is bounded by `ttl`, which is what makes it safe across several instances without any
/// messaging between them. Nothing that decides money or capacity reads through it: the order
/// transaction always reads the database.
final class TTLCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let ttl: Duration
    private let capacity: Int

    init(ttl: Duration, capacity: Int = 1_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The cached value, or a freshly loaded one (concurrent misses may each load; the last one stays).
    func value(for key: Key, load: () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        if let entry = self.entries.withLock({ $0[key] }), entry.expires > now { return entry.value }
        let value = try await load()
        self.entries.withLock { entries in
            // A bound on memory whatever the keys: past capacity, start over.
            if entries.count >= self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(value: value, expires: now.advanced(by: self.ttl))
        }
        return value
    }

    func remove(_ key: Key) {
        _ = self.entries.withLock { $0.removeValue(forKey: key) }
    }
}
