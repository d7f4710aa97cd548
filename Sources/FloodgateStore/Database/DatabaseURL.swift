import Foundation

/// Where the shop's data lives: an embedded SQLite file or a PostgreSQL server.
public enum DatabaseURL: Hashable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(Postgres)

    /// Connection facts of a PostgreSQL server, read from `postgres://user:password@host:port/database`.
    public struct Postgres: Hashable, Sendable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
    }

    /// Parses `sqlite:PATH` (or `sqlite://PATH`) and `postgres://…` / `postgresql://…`.
    public init(_ string: String) throws(DatabaseError) {
        if string.hasPrefix("sqlite:") {
            var path = String(string.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else {
                throw .invalidURL(string, "an sqlite: URL needs a file path, e.g. sqlite:var/floodgate.sqlite")
            }
            self = .sqlite(path: path)
            return
        }
        guard let url = URLComponents(string: string), url.scheme == "postgres" || url.scheme == "postgresql" else {
            throw .invalidURL(string, "use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty else {
            throw .invalidURL(string, "a postgres:// URL needs a user and a host")
        }
        let database = String(url.path.drop(while: { $0 == "/" }))
        self = .postgres(
            Postgres(
                host: host, port: url.port ?? 5432, username: user, password: url.password,
                database: database.isEmpty ? user : database
            )
        )
    }

    /// The URL without its password, safe to log.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let pg): "postgres://\(pg.username)@\(pg.host):\(pg.port)/\(pg.database)"
        }
    }
}
