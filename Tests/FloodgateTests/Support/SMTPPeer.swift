import FloodgateTestSupport
import Foundation

/// A real SMTP server for tests: Python's aiosmtpd, storing what it receives in a maildir.
final class SMTPPeer: @unchecked Sendable {
    // A Process is not Sendable; it is only started here and terminated in `stop()`.
    let port: Int
    let maildir: URL
    private let process: Process

    /// `refusing`: recipients it answers `550` to at `RCPT TO` (case-insensitively), as a mail server does for a
    /// mailbox that does not exist; everyone else's mail is stored.
    init(refusing: [String] = []) throws {
        self.port = try FreePort.find()
        self.maildir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "floodgate-mail-\(UUID().uuidString)")
        self.process = Process()
        self.process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        self.process.arguments = ["python3", "-c", Self.server, String(self.port), self.maildir.path] + refusing
        self.process.standardOutput = FileHandle.nullDevice
        self.process.standardError = FileHandle.nullDevice
        try self.process.run()
    }

    var url: String { "smtp://127.0.0.1:\(self.port)" }

    /// aiosmtpd's maildir handler, refusing some recipients: `python3 -c SERVER PORT MAILDIR [REFUSED…]`.
    private static let server = """
        import asyncio, sys
        from aiosmtpd.handlers import Mailbox
        from aiosmtpd.smtp import SMTP

        class Refusing(Mailbox):
            def __init__(self, folder, refused):
                super().__init__(folder)
                self.refused = refused

            async def handle_RCPT(self, server, session, envelope, address, options):
                if address.lower() in self.refused:
                    return "550 5.1.1 <%s>: no such mailbox here" % address
                envelope.rcpt_tos.append(address)
                envelope.rcpt_options.extend(options)
                return "250 OK"

        port, folder, refused = int(sys.argv[1]), sys.argv[2], {a.lower() for a in sys.argv[3:]}
        loop = asyncio.new_event_loop()
        loop.run_until_complete(loop.create_server(lambda: SMTP(Refusing(folder, refused)), host="127.0.0.1", port=port))
        loop.run_forever()
        """

    /// Waits until the server accepts connections (bounded).
    func waitUntilReady() async throws {
        for _ in 0..<100 {
            if FreePort.isListening(self.port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("aiosmtpd did not start (pip install aiosmtpd)")
    }

    /// The raw messages received so far.
    func messages() -> [String] {
        let folder = self.maildir.appendingPathComponent("new")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }

    /// Waits (bounded) until at least `count` messages have arrived.
    func waitForMessages(_ count: Int, within seconds: Int = 20) async throws -> [String] {
        for _ in 0..<(seconds * 10) {
            let received = self.messages()
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(100))
        }
        return self.messages()
    }

    func stop() {
        // aiosmtpd keeps running on SIGTERM while its loop is busy; a test peer holds nothing worth a clean stop.
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
        try? FileManager.default.removeItem(at: self.maildir)
    }
}

/// Loopback ports for test peers.
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// Decodes the base64 parts of a MIME message so tests can read what a person would see.
enum MIMEText {
    static func decodedParts(_ raw: String) -> String {
        var out = ""
        for part in raw.components(separatedBy: "Content-Transfer-Encoding: base64").dropFirst() {
            let body = part.components(separatedBy: "\n--").first ?? ""
            let base64 = body.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .joined()
            if let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) {
                out += text + "\n"
            }
        }
        return out
    }
}
