import FloodgateCore
import Testing

@testable import FloodgateWeb

/// Issue 22: sign-in cannot be turned against the shop — counted before the check, per account and address,
/// growing delays instead of a lockout, bounded memory.
@Suite("Sign-in throttle")
struct LoginThrottleTests {
    static let owner = "olga@shop.example"

    @Test("Attempts count before their password is checked: a burst gets no more tries than one by one")
    func countedBeforeTheCheck() {
        let throttle = LoginThrottle(settings: .init(rate: 1_000, burst: 1_000))
        // Twenty attempts in flight at once, none finished yet: only the free five go on.
        let verdicts = (0..<20).map { _ in throttle.attempt(email: Self.owner, address: "203.0.113.7", now: 100) }
        #expect(verdicts.filter { $0 == .go }.count == 5)
        #expect(verdicts.last == .wait(1))
    }

    @Test("Delays grow with each failure: 1 s, 2 s, 4 s…, up to the cap")
    func growingDelays() {
        let throttle = LoginThrottle(settings: .init(maxDelay: 8, rate: 1_000, burst: 1_000))
        var now = 0.0
        for _ in 0..<5 { #expect(throttle.attempt(email: "x@shop.example", address: "a", now: now) == .go) }
        for expected in [1, 2, 4, 8, 8] {
            #expect(throttle.attempt(email: "x@shop.example", address: "a", now: now) == .wait(expected))
            now += Double(expected) - 0.5
            #expect(throttle.attempt(email: "x@shop.example", address: "a", now: now) != .go, "not before the delay")
            now += 0.5
            #expect(throttle.attempt(email: "x@shop.example", address: "a", now: now) == .go)
        }
    }

    @Test("Whoever hammers the owner's account cannot keep the owner out: a clean client still signs in")
    func noLockout() {
        let throttle = LoginThrottle()
        for second in 0..<40 {
            _ = throttle.attempt(email: Self.owner, address: "198.51.100.\(second % 4)", now: Double(second))
        }
        #expect(throttle.attempt(email: Self.owner, address: "198.51.100.1", now: 41) != .go, "the attacker waits")
        #expect(
            throttle.attempt(email: Self.owner, address: "192.0.2.10", now: 41) == .go,
            "the owner, from a client that has not failed")
        // A client that has failed elsewhere is bound by the account's delay too.
        _ = throttle.attempt(email: "other@shop.example", address: "192.0.2.99", now: 41)
        #expect(throttle.attempt(email: Self.owner, address: "192.0.2.99", now: 42) != .go)
    }

    @Test("A success takes back only its own count")
    func successTakesBackItsOwnCount() {
        let throttle = LoginThrottle()
        for _ in 0..<4 { _ = throttle.attempt(email: Self.owner, address: "a", now: 0) }
        #expect(throttle.attempt(email: Self.owner, address: "a", now: 0) == .go)
        throttle.succeeded(email: Self.owner, address: "a")
        #expect(throttle.attempt(email: Self.owner, address: "a", now: 0) == .go, "the fifth failure was taken back")
        #expect(throttle.attempt(email: Self.owner, address: "a", now: 0) == .wait(1), "the four before it stay")
    }

    @Test("Sign-in posts are rate-limited per address, whatever the email")
    func postsAreRateLimited() {
        let throttle = LoginThrottle(settings: .init(rate: 1, burst: 3))
        for index in 0..<3 {
            #expect(throttle.attempt(email: "random\(index)@x.example", address: "a", now: 0) == .go)
            throttle.succeeded(email: "random\(index)@x.example", address: "a")
        }
        #expect(throttle.attempt(email: "random9@x.example", address: "a", now: 0) == .wait(1))
        #expect(
            throttle.attempt(email: "random9@x.example", address: "b", now: 0) == .go, "another client is not charged")
    }

    @Test("The tables stay bounded by dropping the oldest entries, never all at once")
    func boundedByEviction() {
        let throttle = LoginThrottle(settings: .init(maxEntries: 100, rate: 1_000, burst: 1_000))
        for _ in 0..<5 { _ = throttle.attempt(email: Self.owner, address: "attacker", now: 1_000) }
        for index in 0..<300 {
            _ = throttle.attempt(email: "e\(index)@x.example", address: "c\(index)", now: 1_000 + Double(index) / 10)
        }
        #expect(throttle.counts.accounts <= 100 && throttle.counts.addresses <= 100)
        #expect(throttle.counts.addresses >= 90, "only a tenth goes at a time")
        // The newest clients are remembered: one that failed just now still has its count.
        for _ in 0..<4 { _ = throttle.attempt(email: "z@x.example", address: "c299", now: 1_030) }
        #expect(throttle.attempt(email: "z@x.example", address: "c299", now: 1_030) == .wait(1))
    }

    @Test("Empty secrets match nothing, not even each other")
    func emptyTokensNeverMatch() {
        #expect(!TokenCheck.matches("", ""))
        #expect(!TokenCheck.matches("abc", ""))
        #expect(TokenCheck.matches("abc", "abc"))
    }
}

/// The known-address lane: a flood from new addresses cannot take every place for password checks.
@Suite("Password checks in a flood")
struct PasswordChecksTests {
    @Test("Addresses staff signed in from are remembered")
    func knownAddresses() {
        let throttle = LoginThrottle()
        #expect(!throttle.isKnown("192.0.2.10"))
        _ = throttle.attempt(email: "olga@shop.example", address: "192.0.2.10")
        throttle.succeeded(email: "olga@shop.example", address: "192.0.2.10")
        #expect(throttle.isKnown("192.0.2.10"))
        #expect(!throttle.isKnown("198.51.100.1"))
    }

    static let hash: @Sendable ((Int, passwordHash: String)) -> String = { $0.passwordHash }

    @Test("With every place taken, a new client is refused at once and a known one still gets its check")
    func reservedPlaces() async throws {
        let checks = PasswordChecks(limit: 1, reserved: 1)
        let release = AsyncStream<Void>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        // One check holds the only open place while its account is looked up.
        let holder = Task {
            try await checks.check("guess", hash: Self.hash) { () async throws -> (Int, passwordHash: String)? in
                started.continuation.yield()
                for await _ in release.stream { break }
                return nil
            }
        }
        for await _ in started.stream { break }
        await #expect(throws: PasswordCheckBusy.self) {
            _ = try await checks.check("guess", hash: Self.hash) { () async throws -> (Int, passwordHash: String)? in
                nil
            }
        }
        let known = try await checks.check("guess", known: true, hash: Self.hash) {
            () async throws -> (Int, passwordHash: String)? in
            nil
        }
        #expect(known.valid == false && known.account == nil)
        release.continuation.yield()
        _ = try await holder.value
    }
}
