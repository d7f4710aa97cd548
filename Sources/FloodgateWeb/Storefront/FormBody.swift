import Foundation
import Hummingbird

/// The fields of an HTML form post (`application/x-www-form-urlencoded`).
struct FormBody: Sendable {
    private(set) var fields: [String: String] = [:]

    subscript(_ name: String) -> String? { self.fields[name] }

    static func read(_ request: Request, context: some RequestContext) async throws -> FormBody {
        try await Self.read(request, maxSize: context.maxUploadSize)
    }

    static func read(_ request: Request, maxSize: Int) async throws -> FormBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw Problem(
                "unsupported-media-type", status: .unsupportedMediaType, title: "Unexpected form encoding",
                detail: "This form expects application/x-www-form-urlencoded."
            )
        }
        let buffer = try await request.body.collect(upTo: maxSize)
        return FormBody(encoded: String(buffer: buffer))
    }

    init(encoded: String) {
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { continue }
            // The first value wins; a form never sends a field twice on purpose.
            if self.fields[name] == nil { self.fields[name] = parts.count > 1 ? Self.decode(parts[1]) ?? "" : "" }
        }
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
