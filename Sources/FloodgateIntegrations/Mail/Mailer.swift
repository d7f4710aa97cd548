/// Delivers email. Two real implementations: ``SMTPMailer`` (a mail server) and ``FolderMailer`` (.eml
/// files in the data folder, so a shop run without a mail server still shows what it would send).
public protocol Mailer: Sendable {
    /// Sends `message`; `messageID` is stable for one logical email so a retry sends the same message.
    func send(_ message: MailMessage, messageID: String) async throws
}

/// Why a message was not delivered.
public enum MailError: Error, CustomStringConvertible, Sendable {
    case invalidURL(String)
    case refused(command: String, reply: String)
    case connectionClosed
    case timedOut

    public var description: String {
        switch self {
        case .invalidURL(let url): "Cannot use SMTP URL '\(url)': use smtp://HOST:PORT."
        case .refused(let command, let reply): "The mail server refused \(command): \(reply)"
        case .connectionClosed: "The mail server closed the connection before the message was accepted."
        case .timedOut: "The mail server did not answer in time."
        }
    }
}
