import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Synchronization

@testable import FloodgateWeb

/// A signed-in back-office browser, as far as HTTP goes: its session cookie and the CSRF token of its forms.
struct StaffBrowser: Sendable {
    let server: TestServer
    let cookie: String
    let csrf: String

    func get(_ path: String) async throws -> TestResponse {
        try await self.server.get(path, headers: [("Cookie", self.cookie)])
    }

    func post(
        _ path: String, _ fields: [(String, String)], csrf: String? = nil, headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var all = fields
        if let token = csrf ?? Optional(self.csrf), !token.isEmpty { all.append(("csrf", token)) }
        let body = all.map { "\(TestServer.formEncode($0.0))=\(TestServer.formEncode($0.1))" }.joined(separator: "&")
        return try await self.server.request(
            .POST, path,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", self.cookie)] + headers,
            body: body
        )
    }

    /// A 1×1 PNG, the smallest real photo to upload.
    static let onePixelPNG: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00,
        0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63,
        0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4E, 0x44,
        0xAE, 0x42, 0x60, 0x82,
    ]

    /// A `multipart/form-data` post with one file and the CSRF token.
    func upload(
        _ path: String, field: String, filename: String, type: String, bytes: [UInt8]
    ) async throws -> TestResponse {
        let boundary = "----floodgate\(UUID().uuidString)"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(self.csrf)\r\n"
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n"
        let data = Array(body.utf8) + bytes + Array("\r\n--\(boundary)--\r\n".utf8)
        return try await TestResponse.fetch(
            self.server.client, .POST, self.server.baseURL + path,
            headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)"), ("Cookie", self.cookie)],
            bytes: data
        )
    }
}

extension TestServer {
    /// Adds an account with a role in one store (bcrypt at a low cost: tests sign in often); returns its id.
    @discardableResult
    func addStaff(
        _ email: String, role: StaffRole, store: String = "petals", areas: Set<ContractorArea> = [],
        until: Int64? = nil, password: String = "correct horse battery"
    ) async throws -> Int {
        let hash = try await PasswordHasher.hash(password, cost: 4)
        guard let found = try await SQLStoreRepository(database: self.database).find(slug: store) else {
            throw TestSetupError("no store \(store)")
        }
        return try await SQLStaffRepository(database: self.database).add(
            email: email, name: "\(role.rawValue.capitalized) \(email.prefix(3))", passwordHash: hash,
            grant: StaffGrant(storeID: found.id, role: role, areas: areas, until: until), by: .system
        ).id
    }

    /// Signs in through the login form, as a browser does.
    func signIn(_ email: String, password: String = "correct horse battery") async throws -> StaffBrowser {
        let form = try await self.get("/admin/login")
        let loginCookie = "fg_login=\(form.cookies["fg_login"] ?? "")"
        let answer = try await self.postForm(
            "/admin/login",
            [("csrf", Self.csrf(in: form.body)), ("email", email), ("password", password), ("next", "/admin/petals/")],
            cookie: loginCookie
        )
        guard answer.status == 303, let session = answer.cookies["fg_staff"] else {
            throw TestSetupError("sign-in as \(email) failed: \(answer.status)")
        }
        let cookie = "fg_staff=\(session)"
        if answer.header("location")?.hasPrefix("/admin/second-factor") == true {
            try await self.passSecondFactor(email, cookie: cookie)
        }
        let page = try await self.get("/admin/petals/", headers: [("Cookie", cookie)])
        return StaffBrowser(server: self, cookie: cookie, csrf: Self.csrf(in: page.body))
    }

    /// Owners and managers give a code after the password: on their first sign-in they enrol (the test reads the
    /// key off the page, as a person's app reads the QR code, and keeps the recovery codes), later they use one of
    /// those recovery codes (a TOTP code would be refused within the same 30 s step: codes are never taken twice).
    func passSecondFactor(_ email: String, cookie: String) async throws {
        let page = try await self.get("/admin/second-factor", headers: [("Cookie", cookie)])
        let code: String
        if let secret = Self.testID("enrol-secret", in: page.body) {
            code = TOTP(secret: Base32.decode(secret) ?? []).code(at: Int64(Date().timeIntervalSince1970))
        } else {
            guard let spare = Self.recoveryCodes.withLock({ $0["\(self.baseURL) \(email)"]?.popLast() }) else {
                throw TestSetupError("no recovery code left for \(email)")
            }
            code = spare
        }
        let answer = try await self.postForm(
            "/admin/second-factor", [("csrf", Self.csrf(in: page.body)), ("code", code), ("next", "/admin/petals/")],
            cookie: cookie)
        if answer.status == 200 {
            let codes = answer.body.components(separatedBy: "<li><code>").dropFirst().map { $0.prefix { $0 != "<" } }
            Self.recoveryCodes.withLock { $0["\(self.baseURL) \(email)"] = codes.map(String.init) }
        } else if answer.status != 303 {
            throw TestSetupError("second factor of \(email) refused: \(answer.status)")
        }
    }

    private static let recoveryCodes = Mutex<[String: [String]]>([:])

    /// The text of the element with `data-testid="id"`.
    static func testID(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "data-testid=\"\(id)\">") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "<" })
    }

    static func csrf(in html: String) -> String {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
