import FloodgateIntegrations

/// An email that cannot be delivered as addressed: its address fails the shared check, or the mail server
/// refused the recipient for good (5xx to `RCPT TO`). Sending it again cannot help, and it says nothing about
/// the mail server's health, so the job is dead at once with the reason and the mail breaker does not count it.
public struct UndeliverableMail: PermanentJobFailure, CustomStringConvertible {
    public let reason: MailError

    public init(reason: MailError) {
        self.reason = reason
    }

    public var isFinal: Bool { true }

    public var description: String { self.reason.description }
}

extension Mailer {
    /// Sends `message` as ``Mailer/send(_:messageID:)`` does; a refusal that is the message's own fault
    /// (``MailError/isPermanent``) is thrown as ``UndeliverableMail``.
    func deliver(_ message: MailMessage, messageID: String) async throws {
        do {
            try await self.send(message, messageID: messageID)
        } catch let error as MailError where error.isPermanent {
            throw UndeliverableMail(reason: error)
        }
    }
}
