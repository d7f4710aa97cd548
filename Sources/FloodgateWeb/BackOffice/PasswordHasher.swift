import HummingbirdBcrypt
import NIOPosix

/// Staff passwords: bcrypt, computed on NIO's blocking pool so a login never stalls an event loop.
public enum PasswordHasher {
    /// Shortest password accepted for a staff account.
    public static let minimumLength = 10

    public static func hash(_ password: String, cost: UInt8 = 12) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash no password matches, verified when the email is unknown so both answers take as long.
    static let decoy = Bcrypt.hash("floodgate-decoy-password", cost: 12)
}
