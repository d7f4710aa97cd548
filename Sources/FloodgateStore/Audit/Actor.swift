/// Who did something, by which way in, and from where: what the audit log and an order's history record.
public struct Actor: Hashable, Sendable {
    /// How the change came in.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A signed-in back-office session.
        case session
        /// A person's own API token.
        case apiToken = "api-token"
        /// The deployment's admin token (automation): nobody in particular.
        case adminToken = "admin-token"
        /// The `floodgate` command on the server, as an operating-system user.
        case cli
        /// The shop itself: its start, its scheduled work.
        case system
        /// Somebody not signed in: a failed sign-in, a customer.
        case visitor
    }

    public var kind: Kind
    public var staffID: Int?
    public var name: String
    /// Their role in the store acted on ("" when there is none, e.g. the CLI or a sign-in).
    public var role: String
    /// The client address (the shop's own view through trusted proxies); "" off the web.
    public var address: String
    public var userAgent: String

    public init(
        kind: Kind, staffID: Int? = nil, name: String, role: String = "", address: String = "", userAgent: String = ""
    ) {
        self.kind = kind
        self.staffID = staffID
        self.name = name
        self.role = role
        self.address = address
        // A header is the client's to choose: kept to a length that cannot flood the log.
        self.userAgent = String(userAgent.prefix(200))
    }

    /// The shop itself.
    public static let system = Actor(kind: .system, name: "floodgate")

    /// The `floodgate` command, as the operating-system user running it.
    public static func commandLine(user: String) -> Actor { Actor(kind: .cli, name: "cli:\(user)") }
}
