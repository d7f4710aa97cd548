/// Delivers email. Two real implementations: ``SMTPMailer`` (a mail server) and ``FolderMailer`` (.eml
/// files in the data folder, so a shop run without a mail server still shows what it would send).
public protocol Mailer: Sendable {
    /// Sends `message`; `messageID` is stable for one logical email so a retry sends the same message.
    func send(_ message: MailMessage, messageID: String) async throws
}

/// Why a message was not delivered.
public enum MailError: Error, CustomStringConvertible, Sendable {
    case invalidURL(String)
    /// A sender or recipient that fails ``MailMessage/isValidMailbox(_:)``, refused before anything was sent.
    case invalidAddress(String)
    case refused(command: String, reply: String)
    /// The mail server answered `RCPT TO` with a permanent (5xx) refusal: no such mailbox, a domain it will not
    /// take mail for.
    case recipientRefused(address: String, reply: String)
    case connectionClosed
    case timedOut

    /// Whether sending the same message again cannot help: the fault is the message's own address, not the
    /// mail server's health.
    public var isPermanent: Bool {
        switch self {
        case .invalidAddress, .recipientRefused: true
        case .invalidURL, .refused, .connectionClosed, .timedOut: false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url): "Cannot use SMTP URL '\(url)': use smtp://HOST:PORT."
        case .invalidAddress(let address): "Not sent: \(MailError.quoted(address)) is not a valid email address."
        case .refused(let command, let reply): "The mail server refused \(command): \(reply)"
        case .recipientRefused(let address, let reply):
            "The mail server refused the recipient \(MailError.quoted(address)): \(reply)"
        case .connectionClosed: "The mail server closed the connection before the message was accepted."
        case .timedOut: "The mail server did not answer in time."
        }
    }

    /// An address for a log line or a job's error: control characters and line breaks shown escaped, never
    /// written raw.
    static func quoted(_ address: String) -> String {
        let shown = address.unicodeScalars.map { (scalar: Unicode.Scalar) -> String in
            // Letters of any script as they are; anything invisible or line-breaking as its escape (`\r`, `\u{2028}`).
            switch scalar.properties.generalCategory {
            case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: scalar.escaped(asASCII: true)
            default: scalar.escaped(asASCII: false)
            }
        }
        return "'" + shown.joined() + "'"
    }
}
