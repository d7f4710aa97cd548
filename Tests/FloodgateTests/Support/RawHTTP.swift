import FloodgateTestSupport
import Foundation
import NIOCore
import NIOPosix

/// One HTTP/1.1 exchange written byte for byte, for paths a URL library would tidy up (`//admin`, `/./admin`,
/// `%2F`): the request goes out exactly as given, with `Connection: close`, and the answer is read to the end.
struct RawAnswer: Sendable {
    let status: Int
    let headers: [(String, String)]
    let body: String

    func header(_ name: String) -> String? { self.headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

extension TestServer {
    var port: Int { Int(self.baseURL.split(separator: ":").last ?? "") ?? 0 }

    /// Sends `method target` as it is, with `headers`, and reads the whole answer.
    func raw(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: String = ""
    ) async throws -> RawAnswer {
        var head =
            "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(self.port)\r\nConnection: close\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) floodgate-tests\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method != "GET", method != "HEAD" { head += "Content-Length: \(body.utf8.count)\r\n" }
        let text = try await Self.exchange(head + "\r\n" + body, port: self.port)
        return try RawAnswer(parsing: text)
    }

    private static func exchange(_ request: String, port: Int) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(
            host: "127.0.0.1", port: port
        ) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var all = ByteBuffer()
            for try await chunk in inbound { all.writeImmutableBuffer(chunk) }
            return String(buffer: all)
        }
    }
}

extension RawAnswer {
    init(parsing text: String) throws {
        guard let split = text.range(of: "\r\n\r\n") else {
            throw TestSetupError("no complete answer: \(text.prefix(200))")
        }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusLine = lines.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw TestSetupError("no status line: \(text.prefix(200))")
        }
        self.status = status
        self.headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        self.body = String(text[split.upperBound...])
    }
}
