import Foundation

/// Which closed area a request path leads to, read as leniently as any router, proxy or file server might read it.
///
/// The route groups are the guard (``StaffRequestContext``, ``AdminAuthMiddleware``); this is the second one, in
/// front of the router, so that no spelling of a path — `//admin`, `/./admin`, `/%61dmin`, `/ADMIN`,
/// `/admin/x/../y`, `%2F` for `/` — reaches a back-office handler, or even a "not found", without a session.
enum BackOfficePath: Equatable, Sendable {
    /// Open to anyone.
    case open
    /// `/admin/login`: the one back-office page for people who are not signed in.
    case signIn
    /// The rest of `/admin`: staff only.
    case backOffice
    /// `/api/v1/admin`: the admin token only.
    case adminAPI

    /// The path read two ways — as the router reads it (split on `/`, empty segments dropped, nothing decoded)
    /// and leniently (``segments(_:)``) — and closed if either reading is: `/admin/%2e%2e/orders` is `/orders`
    /// read leniently, but the router takes `%2e%2e` for a store. It is the sign-in form only when both agree.
    init(path: String) {
        let routed = path.split(separator: "/").map { $0.lowercased() }
        let readings = [Self.area(routed), Self.area(Self.segments(path))]
        if readings.contains(.backOffice) {
            self = .backOffice
        } else if readings.contains(.adminAPI) {
            self = .adminAPI
        } else if readings.contains(.signIn) {
            // One reading is the sign-in form and the other is open or the form too: only a clean `/admin/login`.
            self = readings.allSatisfy({ $0 == .signIn }) ? .signIn : .backOffice
        } else {
            self = .open
        }
    }

    private static func area(_ segments: [String]) -> BackOfficePath {
        switch segments.first {
        case "admin":
            segments == ["admin", "login"] ? .signIn : .backOffice
        case "api" where segments.count >= 3 && segments[1] == "v1" && segments[2] == "admin":
            .adminAPI
        default:
            .open
        }
    }

    /// The path's segments as a lenient reader resolves them: percent-decoded (twice, for double encoding),
    /// split on `/` and `\`, `;params` dropped, empty and `.` segments dropped, `..` applied, and lowercased.
    static func segments(_ path: String) -> [String] {
        var decoded = path
        for _ in 0..<2 { decoded = decoded.removingPercentEncodingLeniently }
        var segments: [String] = []
        for segment in decoded.split(whereSeparator: { $0 == "/" || $0 == "\\" }) {
            // `;params` are dropped by some servers (`/admin;x/orders`), so they are here too.
            let bare = segment.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = bare.trimmingCharacters(in: .whitespacesAndNewlinesAndControls)
            switch trimmed {
            case "", ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(trimmed.lowercased())
            }
        }
        return segments
    }
}

extension String {
    /// `%XX` sequences decoded byte by byte; a malformed one is kept as it is (Foundation would give up on the whole).
    fileprivate var removingPercentEncodingLeniently: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(self.utf8.count)
        var input = Array(self.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "%"), input.count >= 2, let high = Self.hexValue(input[input.startIndex]),
                let low = Self.hexValue(input[input.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                input = input.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension CharacterSet {
    fileprivate static let whitespacesAndNewlinesAndControls = CharacterSet.whitespacesAndNewlines.union(
        .controlCharacters)
}
