/// Faults of the data layer that are not the visitor's doing.
public enum DatabaseError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidURL(String, String)
    case migrationFailed(version: Int, reason: String)
    /// The schema in the database is newer than this binary understands.
    case schemaTooNew(found: Int, known: Int)
    /// The database was closed while work was still waiting for it.
    case closed

    public var description: String {
        switch self {
        case .invalidURL(let url, let hint): "Cannot use database URL '\(url)': \(hint)."
        case .migrationFailed(let version, let reason): "Migration \(version) failed: \(reason)"
        case .schemaTooNew(let found, let known):
            "The database is at schema version \(found) but this floodgate knows only up to \(known); run a newer floodgate."
        case .closed: "The database was closed before this work could run."
        }
    }
}
