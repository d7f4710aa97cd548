/// Where the shop's emails go, as configured (`floodgate.smtp.url`, `floodgate.public.url`).
public struct MailSettings: Sendable {
    /// `smtp://HOST:PORT` of the mail relay; without one, emails are written as .eml files into `folder`.
    public var smtpURL: String?
    /// Where emails are written when there is no relay.
    public var folder: String
    /// The address customers reach the shop at; links in emails start with it.
    public var publicURL: String

    public init(smtpURL: String? = nil, folder: String, publicURL: String) {
        self.smtpURL = smtpURL
        self.folder = folder
        self.publicURL = publicURL
    }

    /// The relay, or the folder when there is none.
    public func mailer() throws -> any Mailer {
        try self.smtpURL.map { try SMTPMailer(url: $0) } ?? FolderMailer(folder: self.folder)
    }
}
