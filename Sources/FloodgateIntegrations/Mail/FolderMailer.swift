import Foundation

/// Writes each message as `<messageID>.eml` into a folder; the same ID overwrites, so a retry is harmless.
public struct FolderMailer: Mailer {
    let folder: URL

    public init(folder: String) {
        self.folder = URL(fileURLWithPath: folder)
    }

    public func send(_ message: MailMessage, messageID: String) async throws {
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        let name = messageID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
        try Data(message.mime(messageID: messageID).utf8).write(to: self.folder.appendingPathComponent(String(name) + ".eml"), options: .atomic)
    }
}
