import FloodgateCore
import Foundation

/// An email with a plain-text and an HTML part, as Floodgate sends them.
public struct MailMessage: Hashable, Sendable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var text: String
    public var html: String

    public init(from: String, to: [String], subject: String, text: String, html: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
    }

    /// The message as MIME (RFC 5322 + 2045): `multipart/alternative`, UTF-8 parts in base64, the subject
    /// in RFC 2047 encoding, CRLF line ends. `messageID` should be stable per logical email, so a resend
    /// after a crash can be recognised downstream as the same message.
    public func mime(messageID: String, date: Date = Date()) -> String {
        let boundary = "floodgate-\(messageID.utf8.reduce(UInt64(5381)) { ($0 &* 33) &+ UInt64($1) })"
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let headers = [
            "From: \(self.from)",
            "To: \(self.to.joined(separator: ", "))",
            "Subject: =?UTF-8?B?\(Data(self.subject.utf8).base64EncodedString())?=",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        func part(_ type: String, _ body: String) -> String {
            let encoded = Data(body.utf8).base64EncodedString(options: [
                .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
            ])
            return
                "--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\(encoded)\r\n"
        }
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + part("text/plain", self.text)
            + part("text/html", self.html)
            + "--\(boundary)--\r\n"
    }
}

extension MailMessage {
    /// Refuses a message that names a sender or recipient no mail server should be given (see
    /// ``isValidMailbox(_:)``). Both mailers ask before anything is written or sent.
    public func checkAddresses() throws(MailError) {
        for mailbox in [self.from] + self.to where !Self.isValidMailbox(mailbox) {
            throw .invalidAddress(mailbox)
        }
    }

    /// `orders@petals.example`, or `Petals <orders@petals.example>`: the address as ``EmailAddress/isValid(_:)``
    /// accepts it, and a display name without a control character or line break (it is written into a header
    /// as it is, so a line break there would start a header of its own).
    public static func isValidMailbox(_ mailbox: String) -> Bool {
        guard let open = mailbox.lastIndex(of: "<") else { return EmailAddress.isValid(mailbox) }
        guard mailbox.hasSuffix(">") else { return false }
        let address = mailbox[mailbox.index(after: open)..<mailbox.index(before: mailbox.endIndex)]
        return EmailAddress.isValid(String(address))
            && !mailbox[..<open].unicodeScalars.contains(where: Self.breaksHeader)
    }

    /// A `From:`/`To:` mailbox with a display name that cannot break the header: plain ASCII in quotes (with `"`
    /// and `\` escaped), anything else as an RFC 2047 encoded word. `Petals, Roses & Co` would otherwise read as
    /// two mailboxes, and `Цветы` is not allowed bare in a header.
    public static func mailbox(name: String, address: String) -> String {
        let clean = String(String.UnicodeScalarView(name.unicodeScalars.filter { !Self.breaksHeader($0) }))
        guard !clean.isEmpty else { return address }
        // Words of RFC 5322's `atext` and spaces go as they are: `Petals <orders@petals.example>`.
        let atext = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: " !#$%&'*+-/=?^_`{|}~"))
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && atext.contains($0) }) {
            return "\(clean) <\(address)>"
        }
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) {
            let escaped = clean.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                of: "\"", with: "\\\"")
            return "\"\(escaped)\" <\(address)>"
        }
        return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?= <\(address)>"
    }

    /// `Petals <orders@petals.example>` → `orders@petals.example`; a bare address as it is.
    static func address(in mailbox: String) -> String {
        if let open = mailbox.lastIndex(of: "<"), let close = mailbox.lastIndex(of: ">"), open < close {
            return String(mailbox[mailbox.index(after: open)..<close])
        }
        return mailbox
    }

    private static func breaksHeader(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
