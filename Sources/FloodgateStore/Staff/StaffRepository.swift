import FloodgateCore

/// A signed-in member of staff: who, what they may do in which store, and the token their forms must carry.
public struct StaffSession: Hashable, Sendable {
    public var staff: StaffMember
    /// The stores they may work in now (expired grants left out).
    public var grants: [StaffGrant]
    /// Sent with every back-office form and checked on every post (cross-site request forgery).
    public var csrf: String
    /// Milliseconds since 1970 (UTC) when the session ends, however busy.
    public var expiresAt: Int64
    /// A short public name of the session (the start of its stored hash), to list and end it.
    public var handle: String

    /// Their access to one store, if any.
    public func grant(storeID: Int) -> StaffGrant? { self.grants.first { $0.storeID == storeID } }
}

/// A live session as an owner sees it in the list.
public struct SessionInfo: Hashable, Sendable {
    public var handle: String
    public var staff: StaffMember
    public var startedAt: Int64
    public var lastSeenAt: Int64
    public var expiresAt: Int64
    public var address: String
    public var userAgent: String
}

/// A staff account with all its grants (expired ones too), for lists.
public struct StaffAccount: Hashable, Sendable {
    public var member: StaffMember
    public var grants: [StaffGrant]
    public var disabled: Bool
    public var hasSecondFactor: Bool
}

/// An account as sign-in needs it.
public struct SignInAccount: Hashable, Sendable {
    public var member: StaffMember
    public var passwordHash: String
    /// Its live grants: none, and sign-in is refused.
    public var grants: [StaffGrant]
}

/// Why a change to staff was refused.
public enum StaffError: Error, Hashable, Sendable {
    case emailTaken(String)
    case noSuchAccount(String)
    case noSuchGrant
}

/// How long sessions live: an idle end and an absolute one.
public struct SessionPolicy: Hashable, Sendable {
    /// Milliseconds without a request after which a session ends.
    public var idle: Int64
    /// Milliseconds after its start at which a session ends, however busy.
    public var lifetime: Int64

    public init(idle: Int64 = 30 * 60_000, lifetime: Int64 = 12 * 3_600_000) {
        self.idle = idle
        self.lifetime = lifetime
    }
}

/// Staff accounts, their grants and their sessions. Passwords arrive hashed (bcrypt); session secrets are stored
/// as their SHA-256, so a copy of the database lets nobody in. Every change is recorded in the audit log, in the
/// same transaction, as done by the ``Actor`` given.
public protocol StaffRepository: Sendable {
    func add(
        email: String, name: String, passwordHash: String, grant: StaffGrant, by actor: Actor
    ) async throws -> StaffMember
    /// The account, enabled or not (nil: no such email).
    func account(email: String) async throws -> StaffAccount?
    /// Every account with its grants, by id.
    func all() async throws -> [StaffAccount]
    /// Gives (or changes) a person's access to a store.
    func grant(staffID: Int, _ grant: StaffGrant, by actor: Actor) async throws
    /// Takes a person's access to a store away and ends their sessions.
    func revoke(staffID: Int, storeID: Int, by actor: Actor) async throws
    /// Disables (and ends every session of) an account, or enables it again.
    func setDisabled(staffID: Int, _ disabled: Bool, by actor: Actor) async throws
    /// Changes a password and ends the account's sessions.
    func setPassword(staffID: Int, passwordHash: String, by actor: Actor) async throws

    /// An enabled account with this email, for sign-in.
    func signInAccount(email: String) async throws -> SignInAccount?
    /// Records a failed sign-in (wrong password, or access ended).
    func recordFailedSignIn(email: String, reason: String, by actor: Actor) async throws
    /// Starts a session (recorded as a sign-in); returns the secret for the cookie and the session.
    func startSession(
        for account: SignInAccount, policy: SessionPolicy, by actor: Actor
    ) async throws -> (secret: String, session: StaffSession)
    /// The live session behind a cookie's secret: not past its idle or absolute end, on an enabled account
    /// with at least one live grant. Seeing it keeps it alive.
    func session(secret: String, policy: SessionPolicy) async throws -> StaffSession?
    /// Signs out (the session behind this secret ends).
    func endSession(secret: String, by actor: Actor) async throws
    /// Live sessions (of one account, or all): neither idle nor past their end under `policy`.
    func sessions(staffID: Int?, policy: SessionPolicy) async throws -> [SessionInfo]
    /// Ends one session by its handle; false if there was none.
    func endSession(handle: String, by actor: Actor) async throws -> Bool
}
