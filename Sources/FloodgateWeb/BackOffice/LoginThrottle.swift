import FloodgateAdmission
import Synchronization

/// How often sign-ins may be tried, per account and per client address, with delays that grow with each failure.
///
/// - An attempt is counted as failed *before* its password is checked, and the count is taken back when it
///   succeeds: a burst of parallel guesses gets no more tries than the same guesses one by one.
/// - After ``Settings/freeFailures`` recent failures, a client (or an account) must wait before its next try:
///   one second, then two, four… up to ``Settings/maxDelay``.
/// - An account's delay holds only for clients that have failed recently themselves. Whoever knows the owner's
///   email can slow down their own guesses, not keep the owner out: the owner signs in from a client that has not
///   failed.
/// - Sign-in posts are also rate-limited per client address, failed or not, before any password work.
/// - Memory stays bounded: at most ``Settings/maxEntries`` accounts and addresses are remembered; when full, the
///   ones not seen for the longest go first (never the whole table at once).
final class LoginThrottle: Sendable {
    struct Settings: Sendable {
        var freeFailures = 5
        var firstDelay = 1.0
        var maxDelay = 900.0
        /// A record with no attempt for this long is forgotten.
        var memory = 3_600.0
        /// How long an address someone signed in from stays known (30 days).
        var knownFor = 30 * 86_400.0
        var maxEntries = 10_000
        /// Sign-in posts per second per client address, and the burst allowed.
        var rate = 0.5
        var burst = 10.0
    }

    /// The answer to "may this sign-in go on?"
    enum Verdict: Equatable, Sendable {
        case go
        /// Wait this many seconds (at least one).
        case wait(Int)
    }

    private struct Record {
        var failures: Int
        var last: Double
    }

    private struct State {
        var accounts: [String: Record] = [:]
        var addresses: [String: Record] = [:]
        /// Addresses someone signed in from, and when: they keep a place for their checks in a flood.
        var known: [String: Record] = [:]
        var posts: ClientRateLimiter
    }

    let settings: Settings
    private let state: Mutex<State>
    private let origin = ContinuousClock.now

    init(settings: Settings = Settings()) {
        self.settings = settings
        self.state = Mutex(
            State(posts: ClientRateLimiter(rate: settings.rate, burst: settings.burst, maxClients: settings.maxEntries))
        )
    }

    /// Decides whether a sign-in for `email` from `address` may be tried now; if so, counts it as failed until
    /// ``succeeded(email:address:)`` takes it back. `posts`: the post counts against the address's rate (a
    /// password); a second-factor code comes from a session that has passed its password, and is bounded by the
    /// failure delays alone.
    func attempt(email: String, address: String, now: Double? = nil, posts: Bool = true) -> Verdict {
        let now = now ?? self.now
        return self.state.withLock { state in
            if posts, case .refused(let retryAfter) = state.posts.take(address, now: now) {
                return .wait(max(1, Int(retryAfter.rounded(.up))))
            }
            let client = self.live(state.addresses[address], now: now)
            var wait = self.wait(client, now: now)
            // The account's delay binds only clients that have failed themselves (see the type's comment); a second
            // factor's caller has proved the password, so there it binds every client.
            if client != nil || !posts {
                wait = max(wait, self.wait(self.live(state.accounts[email], now: now), now: now))
            }
            guard wait <= 0 else { return .wait(max(1, Int(wait.rounded(.up)))) }
            Self.count(
                &state.addresses, address, now: now, limit: self.settings.maxEntries, memory: self.settings.memory)
            Self.count(&state.accounts, email, now: now, limit: self.settings.maxEntries, memory: self.settings.memory)
            return .go
        }
    }

    /// The account's recent failures (passwords and codes alike).
    func failures(email: String) -> Int {
        let now = self.now
        return self.state.withLock { self.live($0.accounts[email], now: now)?.failures ?? 0 }
    }

    /// The attempt succeeded: its count is taken back (only its own: earlier failures stay), and the address
    /// is remembered as one staff sign in from (``isKnown(_:)``).
    func succeeded(email: String, address: String) {
        self.took(back: email, address: address)
        let now = self.now
        self.state.withLock { state in
            if state.known[address] == nil, state.known.count >= self.settings.maxEntries {
                Self.evict(&state.known, now: now, memory: self.settings.knownFor, limit: self.settings.maxEntries)
            }
            state.known[address] = Record(failures: 0, last: now)
        }
    }

    /// The attempt was not the client's to count (the checks were busy): its count is taken back.
    func took(back email: String, address: String) {
        self.state.withLock { state in
            Self.uncount(&state.addresses, address)
            Self.uncount(&state.accounts, email)
        }
    }

    /// Whether staff signed in from `address` lately (``Settings/knownFor``). A flood from new addresses cannot
    /// earn this without a password, so these clients keep places of their own for their checks.
    func isKnown(_ address: String) -> Bool {
        let now = self.now
        return self.state.withLock { state in
            state.known[address].map { now - $0.last < self.settings.knownFor } ?? false
        }
    }

    /// Accounts and addresses remembered now.
    var counts: (accounts: Int, addresses: Int) { self.state.withLock { ($0.accounts.count, $0.addresses.count) } }

    private var now: Double { (ContinuousClock.now - self.origin) / .seconds(1) }

    private func live(_ record: Record?, now: Double) -> Record? {
        guard let record, now - record.last < self.settings.memory else { return nil }
        return record
    }

    /// Seconds still to wait after `record`'s last attempt.
    private func wait(_ record: Record?, now: Double) -> Double {
        guard let record, record.failures >= self.settings.freeFailures else { return 0 }
        let steps = min(record.failures - self.settings.freeFailures, 30)
        let delay = min(self.settings.maxDelay, self.settings.firstDelay * Double(1 << steps))
        return record.last + delay - now
    }

    private static func count(_ table: inout [String: Record], _ key: String, now: Double, limit: Int, memory: Double) {
        if var record = table[key] {
            if now - record.last >= memory { record.failures = 0 }
            record.failures += 1
            record.last = now
            table[key] = record
            return
        }
        if table.count >= limit { Self.evict(&table, now: now, memory: memory, limit: limit) }
        table[key] = Record(failures: 1, last: now)
    }

    private static func uncount(_ table: inout [String: Record], _ key: String) {
        guard var record = table[key] else { return }
        record.failures -= 1
        table[key] = record.failures > 0 ? record : nil
    }

    /// Makes room: records past their memory first, else the tenth seen longest ago.
    private static func evict(_ table: inout [String: Record], now: Double, memory: Double, limit: Int) {
        let stale = table.filter { now - $0.value.last >= memory }.keys
        if !stale.isEmpty {
            for key in stale { table.removeValue(forKey: key) }
            return
        }
        for (key, _) in table.sorted(by: { $0.value.last < $1.value.last }).prefix(max(1, limit / 10)) {
            table.removeValue(forKey: key)
        }
    }
}
