import FloodgateStore
import Foundation
import Hummingbird

/// A `multipart/form-data` post (a photo, a CSV file) with its fields and files, its CSRF token checked.
///
/// Parsed here rather than with a package: the back-office sends small bodies with a few parts, and this
/// reader only needs names, file names, types and bytes.
struct MultipartForm: Sendable {
    struct File: Sendable {
        var filename: String
        var contentType: String
        var bytes: [UInt8]
    }

    private(set) var fields: [String: String] = [:]
    private(set) var files: [String: File] = [:]

    subscript(_ name: String) -> String? { self.fields[name] }

    /// Reads and checks a back-office upload of at most `maxSize` bytes.
    static func read(_ request: Request, context: StaffRequestContext, maxSize: Int) async throws -> MultipartForm {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = Self.boundary(contentType)
        else {
            throw Problem(
                "unsupported-media-type", status: .unsupportedMediaType, title: "Unexpected form encoding",
                detail: "Send the form as multipart/form-data.")
        }
        let body = try await request.body.collect(upTo: maxSize)
        let form = try MultipartForm(bytes: Array(buffer: body), boundary: boundary)
        try BackOfficeForm.check(token: form["csrf"], session: context.session)
        return form
    }

    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    init(bytes: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var index = Self.find(delimiter, in: bytes, from: 0)
        while let start = index {
            let contentStart = start + delimiter.count
            // `--` after a delimiter ends the body.
            if bytes.count >= contentStart + 2, bytes[contentStart] == 45, bytes[contentStart + 1] == 45 { break }
            guard let next = Self.find(delimiter, in: bytes, from: contentStart) else { break }
            parts.append(bytes[contentStart..<next])
            index = next
        }
        guard !parts.isEmpty else { throw Self.malformed }
        for part in parts {
            // CRLF after the delimiter, headers, a blank line, the content, CRLF before the next delimiter.
            guard let split = Self.find(Array("\r\n\r\n".utf8), in: Array(part), from: 0) else { throw Self.malformed }
            let all = Array(part)
            let headers = String(decoding: all[0..<split], as: UTF8.self).split(separator: "\r\n")
            var content = Array(all[(split + 4)...])
            if content.suffix(2) == [13, 10] { content.removeLast(2) }
            var name: String?
            var filename: String?
            var type = "application/octet-stream"
            for header in headers {
                let lower = header.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = Self.parameter("name", in: String(header))
                    filename = Self.parameter("filename", in: String(header))
                } else if lower.hasPrefix("content-type:") {
                    type = header.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name else { continue }
            if let filename {
                self.files[name] = File(filename: filename, contentType: type, bytes: content)
            } else {
                self.fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
    }

    private static let malformed = Problem(
        "malformed-form", status: .badRequest, title: "The form could not be read", detail: "Send the form again.")

    private static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == name {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
