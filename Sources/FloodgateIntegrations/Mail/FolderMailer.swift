import Foundation
import NIOPosix

/// Writes each message as `<messageID>.eml` into a folder; the same ID overwrites, so a retry is harmless.
public struct FolderMailer: Mailer {
    let folder: URL

    public init(folder: String) {
        self.folder = URL(fileURLWithPath: folder)
    }

    /// Writes `message`; one with an address the SMTP client would refuse is refused here too
    /// (``MailError/invalidAddress(_:)``), so a shop without a mail server behaves as one with it.
    public func send(_ message: MailMessage, messageID: String) async throws {
        try message.checkAddresses()
        let name = messageID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
        let file = self.folder.appendingPathComponent(String(name) + ".eml")
        let data = Data(message.mime(messageID: messageID).utf8)
        let folder = self.folder
        // An atomic write waits on the disk; on NIO's blocking-I/O pool it cannot hold up one of the few
        // threads that serve visitors.
        try await NIOThreadPool.singleton.runIfActive {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: file, options: .atomic)
        }
    }
}
