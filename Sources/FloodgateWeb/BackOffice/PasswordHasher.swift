import FloodgateCore
import FloodgateStore
import HummingbirdBcrypt
import Synchronization

/// Staff passwords: bcrypt, on one thread of its own at a low priority.
///
/// A sign-in costs a quarter of a second of a core. Left on the shared threads, a flood of sign-ins with random
/// emails would take the cores from checkouts; here it takes at most one thread, which yields to the shop's
/// threads when they have work (nice 19: the least share of a busy core the kernel gives).
public enum PasswordHasher {
    /// Shortest password accepted for a staff account.
    public static let minimumLength = PasswordPolicy.minimumLength

    /// Lowering a thread's priority needs no privilege, so this holds wherever the shop runs.
    static let thread = ThreadExecutor(threads: 1, nice: 19)

    public static func hash(_ password: String, cost: UInt8 = 12) async throws -> String {
        await withTaskExecutorPreference(Self.thread) { Bcrypt.hash(password, cost: cost) }
    }
}

/// The shop's password checks, a few at a time: past ``limit`` checks running or waiting, a sign-in is refused
/// at once (``PasswordCheckBusy``) instead of queued behind a flood. Clients staff signed in from before
/// (``LoginThrottle/isKnown(_:)``) have ``reserved`` places more, which a flood from new addresses cannot take.
final class PasswordChecks: Sendable {
    let limit: Int
    let reserved: Int
    private let running = Mutex(0)

    init(limit: Int = 4, reserved: Int = 2) {
        self.limit = limit
        self.reserved = reserved
    }

    /// The account `find` looks up, and whether `password` is its password; `find` runs only once the check has
    /// its place. With no account (an unknown email) a decoy hash is checked, so both answers take as long and
    /// the timing does not tell which emails exist.
    func check<Account: Sendable>(
        _ password: String, known: Bool = false, hash: (Account) -> String, find: () async throws -> Account?
    ) async throws -> (account: Account?, valid: Bool) {
        let admitted = self.running.withLock { running in
            guard running < self.limit + (known ? self.reserved : 0) else { return false }
            running += 1
            return true
        }
        guard admitted else { throw PasswordCheckBusy() }
        defer { self.running.withLock { $0 -= 1 } }
        let account = try await find()
        let stored = account.map(hash)
        let valid = await withTaskExecutorPreference(PasswordHasher.thread) {
            Bcrypt.verify(password, hash: stored ?? Self.decoy)
        }
        return (account, valid)
    }

    /// A hash no password matches; made on the bcrypt thread the first time it is needed.
    private static let decoy = Bcrypt.hash("floodgate-decoy-password", cost: 12)
}

/// Too many password checks are waiting already: try again in a moment.
struct PasswordCheckBusy: Error {}
