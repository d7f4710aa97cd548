import FloodgateStore

/// How the web server listens and whom it trusts, as configured (`floodgate.host`, `floodgate.port`,
/// `floodgate.public.url`, `floodgate.admin.token`, `floodgate.admission.…`, `floodgate.http.…`).
public struct HTTPSettings: Sendable {
    public var host: String
    public var port: Int
    /// The address customers reach the shop at: its scheme decides `Secure` cookies, its origin the forms taken.
    public var publicURL: String
    /// Bearer token for `/api/v1/admin/…`; without one the admin API answers 401 to everyone.
    public var adminToken: String?
    /// Admission control, deadlines, per-client limits and connection limits.
    public var admission = AdmissionSettings()
    /// When back-office sessions end: idle, and however busy.
    public var staffSessions = SessionPolicy()

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, adminToken: String? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL ?? "http://\(host):\(port)"
        self.adminToken = adminToken
    }

    /// The fewest characters an admin token may have: a shorter one could be guessed.
    public static let adminTokenMinimumLength = 32
}
