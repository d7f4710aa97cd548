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
            let encoded = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            return "--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\(encoded)\r\n"
        }
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + part("text/plain", self.text) + part("text/html", self.html)
            + "--\(boundary)--\r\n"
    }
}
