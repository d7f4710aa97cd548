import FloodgateStore
import HummingbirdBcrypt
import Synchronization

/// Staff passwords: bcrypt, on one thread of its own at the lowest priority, at most a few checks at a time.
///
/// A sign-in costs a quarter of a second of a core. Left on the shared threads, a flood of sign-ins with random
/// emails would take the cores from checkouts; here it takes at most one thread that yields to everything else,
/// and past ``maxChecks`` waiting checks a sign-in is refused at once (``PasswordCheckBusy``) instead of queued.
public enum PasswordHasher {
    /// Shortest password accepted for a staff account.
    public static let minimumLength = 10
    /// Checks running or waiting for the thread; one more is refused.
    static let maxChecks = 4

    /// Nice 19: lowering a thread's priority needs no privilege, so this holds wherever the shop runs.
    private static let thread = ThreadExecutor(threads: 1, nice: 19)
    private static let checks = Mutex(0)

    public static func hash(_ password: String, cost: UInt8 = 12) async throws -> String {
        await withTaskExecutorPreference(Self.thread) { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. With no hash (an unknown email) a decoy is checked, so both answers
    /// take as long and the timing does not tell which emails exist.
    static func verify(_ password: String, hash: String?) async throws -> Bool {
        let admitted = Self.checks.withLock { checks in
            guard checks < Self.maxChecks else { return false }
            checks += 1
            return true
        }
        guard admitted else { throw PasswordCheckBusy() }
        defer { Self.checks.withLock { $0 -= 1 } }
        return await withTaskExecutorPreference(Self.thread) { Bcrypt.verify(password, hash: hash ?? Self.decoy) }
    }

    /// A hash no password matches; made on the bcrypt thread the first time it is needed.
    private static let decoy = Bcrypt.hash("floodgate-decoy-password", cost: 12)
}

/// Too many password checks are waiting already: try again in a moment.
struct PasswordCheckBusy: Error {}
