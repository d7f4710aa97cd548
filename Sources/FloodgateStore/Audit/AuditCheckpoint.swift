import Crypto
import FloodgateCore
import Foundation
import SQLKit

/// Where the chain goes on after old entries were pruned: the last pruned entry's number and hash, signed with
/// the audit key (HMAC-SHA256), so that whoever can write the database but not read the key cannot pass a deletion
/// off as a pruning.
struct AuditCheckpoint: Hashable, Sendable {
    var throughID: Int64
    var hash: String
    var at: Int64
    var signature: String

    init(throughID: Int64, hash: String, at: Int64, key: [UInt8]) {
        self.throughID = throughID
        self.hash = hash
        self.at = at
        self.signature = Self.sign(throughID: throughID, hash: hash, at: at, key: key)
    }

    init(row: any SQLRow) throws {
        self.throughID = try row.decode(column: "through_id", as: Int64.self)
        self.hash = try row.decode(column: "hash", as: String.self)
        self.at = try row.decode(column: "at", as: Int64.self)
        self.signature = try row.decode(column: "signature", as: String.self)
    }

    func isSigned(with key: [UInt8]) -> Bool {
        TokenCheck.matches(self.signature, Self.sign(throughID: self.throughID, hash: self.hash, at: self.at, key: key))
    }

    static func sign(throughID: Int64, hash: String, at: Int64, key: [UInt8]) -> String {
        let text = "floodgate-audit-checkpoint-1\n\(throughID)\n\(hash)\n\(at)\n"
        return HexDigits.encode(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key)))
    }
}

/// The audit key: 32 random bytes as hex in a file only its owner reads.
public enum AuditKey {
    /// Reads the key; throws when the file is missing or not a key.
    public static func read(_ path: String) throws -> [UInt8] {
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == 64, let bytes = HexDigits.decode(text) else { throw AuditKeyError.notAKey(path) }
        return bytes
    }

    /// Reads the key, or makes one (mode 0600) when the file does not exist yet.
    public static func load(_ path: String) throws -> [UInt8] {
        if FileManager.default.fileExists(atPath: path) { return try Self.read(path) }
        let bytes = RandomToken.bytes(32)
        let created = FileManager.default.createFile(
            atPath: path, contents: Data((HexDigits.encode(bytes) + "\n").utf8), attributes: [.posixPermissions: 0o600])
        guard created else { throw AuditKeyError.cannotWrite(path) }
        return bytes
    }
}

/// Why the audit key could not be had.
public enum AuditKeyError: Error, Hashable, Sendable {
    case notAKey(String)
    case cannotWrite(String)
}
