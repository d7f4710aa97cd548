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
    /// How far sign-in has come: only a `full` session opens the back-office.
    public var stage: SessionStage = .full
    /// The second factor being enrolled (Base32), while `stage` is `enrol` and a secret was offered.
    public var pendingSecret: String?

    /// Their access to one store, if any.
    public func grant(storeID: Int) -> StaffGrant? { self.grants.first { $0.storeID == storeID } }
}

/// How far a sign-in has come.
public enum SessionStage: String, Hashable, Sendable {
    /// Signed in: the back-office is open, as far as the grants allow.
    case full
    /// The password was right; a code from the authenticator app (or a recovery code) is still to come.
    case secondFactor = "second-factor"
    /// The password was right; the account must enrol an authenticator app before anything else.
    case enrol
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
    /// Its authenticator app's secret (Base32), once enrolled.
    public var totpSecret: String?
    /// Whether a grant makes a second factor compulsory (an owner or manager of a store that requires it).
    public var mustUseSecondFactor: Bool

    /// The stage a new session of this account starts in.
    public var firstStage: SessionStage {
        self.totpSecret != nil ? .secondFactor : (self.mustUseSecondFactor ? .enrol : .full)
    }
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
    /// Starts a session in the account's first stage (recorded as a sign-in, or as a password accepted when a
    /// second factor is to come); returns the secret for the cookie and the session.
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

    /// The account's second-factor secret (Base32) and the last time step used, for a session at that stage.
    func secondFactor(staffID: Int) async throws -> (secret: String, lastStep: Int64)?
    /// Keeps the secret offered for enrolment with the session, so the code typed is checked against it.
    func offer(enrolment secret: String, toSession sessionSecret: String) async throws
    /// Completes sign-in with a TOTP code of time step `step`: false if that step (or a later one) was already
    /// used — a code is never taken twice, even on another instance.
    func completeSecondFactor(
        sessionSecret: String, staffID: Int, step: Int64, by actor: Actor
    ) async throws -> Bool
    /// Completes sign-in with a recovery code (used up by it); false if it is not an unused code of the account.
    func completeWithRecoveryCode(
        sessionSecret: String, staffID: Int, code: String, by actor: Actor
    ) async throws -> Bool
    /// Enrols the authenticator app (its secret, the step of the code that proved it, new recovery codes) and
    /// completes sign-in.
    func enrol(
        sessionSecret: String, staffID: Int, totpSecret: String, step: Int64, recoveryCodes: [String], by actor: Actor
    ) async throws
    /// Records a wrong second-factor code.
    func recordFailedSecondFactor(staffID: Int, by actor: Actor) async throws
    /// Forgets an account's authenticator app and recovery codes (it enrols again) and ends its sessions.
    func resetSecondFactor(staffID: Int, by actor: Actor) async throws
    /// Whether the store's owners and managers must sign in with a second factor (on by default).
    func requireSecondFactor(storeID: Int, _ required: Bool, by actor: Actor) async throws
}
