import Foundation
import Logging
import NIOCore
import NIOPosix

/// Sends mail to an SMTP server (RFC 5321, plain: EHLO, MAIL FROM, RCPT TO, DATA), one connection per message.
///
/// Meant for a relay on the same host or network (a local MTA, a provider's submission port behind a
/// relay); it speaks neither TLS nor AUTH.
public struct SMTPMailer: Mailer {
    public let host: String
    public let port: Int
    let heloName: String
    let timeout: Duration

    /// From `smtp://HOST:PORT` (port 25 when absent).
    public init(url: String, heloName: String = "floodgate.local", timeout: Duration = .seconds(20)) throws(MailError) {
        guard let components = URLComponents(string: url), components.scheme == "smtp", let host = components.host,
            !host.isEmpty
        else {
            throw .invalidURL(url)
        }
        self.host = host
        self.port = components.port ?? 25
        self.heloName = heloName
        self.timeout = timeout
    }

    /// Sends `message`, or throws: ``MailError/invalidAddress(_:)`` before connecting when an address could be
    /// read as more than one address or command (see ``MailMessage/isValidMailbox(_:)``);
    /// ``MailError/recipientRefused(address:reply:)`` when the server refuses a recipient for good (5xx), and
    /// then nothing is sent to any of them.
    public func send(_ message: MailMessage, messageID: String) async throws {
        // Nothing reaches the server unchecked: an address holding CR LF would be a command of its own.
        try message.checkAddresses()
        let deadline = self.timeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.converse(message, messageID: messageID) }
            group.addTask {
                try await Task.sleep(for: deadline)
                throw MailError.timedOut
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func converse(_ message: MailMessage, messageID: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: self.host, port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            /// Reads one reply (all its continuation lines) and checks its code.
            func expect(_ code: String, after command: String) async throws {
                while true {
                    guard let buffer = try await lines.next() else { throw MailError.connectionClosed }
                    let line = String(buffer: buffer).trimmingCharacters(in: .whitespacesAndNewlines)
                    guard line.hasPrefix(code) else { throw MailError.refused(command: command, reply: line) }
                    // "250-…" continues, "250 …" (or a bare code) ends the reply.
                    if line.count <= 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " { return }
                }
            }
            func say(_ command: String, expecting code: String) async throws {
                try await outbound.write(ByteBuffer(string: command + "\r\n"))
                try await expect(code, after: command.split(separator: " ").first.map(String.init) ?? command)
            }
            try await expect("220", after: "connect")
            try await say("EHLO \(self.heloName)", expecting: "250")
            try await say("MAIL FROM:<\(MailMessage.address(in: message.from))>", expecting: "250")
            for recipient in message.to {
                let address = MailMessage.address(in: recipient)
                do {
                    // 250, or 251 "not local, will forward".
                    try await say("RCPT TO:<\(address)>", expecting: "25")
                } catch MailError.refused(command: _, reply: let reply) where Self.refusesTheAddress(reply) {
                    // This address, not the server: the job fails for good, and the mail breaker stays closed.
                    throw MailError.recipientRefused(address: address, reply: reply)
                }
            }
            try await say("DATA", expecting: "354")
            // Dot-stuffing: a line that starts with "." gets another one (RFC 5321 §4.5.2).
            let body = message.mime(messageID: messageID).replacingOccurrences(of: "\r\n.", with: "\r\n..")
            try await outbound.write(ByteBuffer(string: body + "\r\n.\r\n"))
            try await expect("250", after: "DATA (message)")
            try? await say("QUIT", expecting: "221")
        }
    }

    /// Whether a refusal of `RCPT TO` is about the address itself — no such mailbox (550, 551, 553, or an
    /// enhanced status `5.1.x`) — rather than about the shop's relay: "authentication required" (530), "relaying
    /// denied" (554, or 550 with `5.7.x`) would refuse every email alike, so they stay the relay's failure and count
    /// toward the mail breaker instead of quietly killing each confirmation.
    static func refusesTheAddress(_ reply: String) -> Bool {
        let words = reply.split(separator: " ", maxSplits: 2).map(String.init)
        let code = String(reply.prefix(3))
        if words.count > 1, words[1].hasPrefix("5.") {
            return words[1].hasPrefix("5.1.")
        }
        return ["550", "551", "553"].contains(code)
    }
}
