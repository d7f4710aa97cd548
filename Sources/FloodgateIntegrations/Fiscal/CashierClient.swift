import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Talks to the online cash register: a token (cached, renewed when refused), `sell`, `report`.
///
/// Registering is idempotent by the receipt's external id: the register answers a repeated `sell` with
/// the receipt it already has, so a job retried after a crash never makes a second receipt.
public actor CashierClient {
    public nonisolated let settings: CashierSettings
    private let http: HTTPClient
    private var token: String?

    public init(settings: CashierSettings, http: HTTPClient = .shared) {
        self.settings = settings
        self.http = http
    }

    /// Registers a sell receipt; returns the register's report (usually `wait` at first).
    public func sell(_ request: CashierProtocol.SellRequest) async throws -> CashierProtocol.Report {
        let body = try CashierProtocol.encoder.encode(request)
        return try await self.authorised { token in
            try await self.call(.POST, "\(self.settings.group)/sell", body: body, token: token)
        }
    }

    /// The receipt's state at the register, by the uuid `sell` returned.
    public func report(uuid: String) async throws -> CashierProtocol.Report {
        try await self.authorised { token in
            try await self.call(.GET, "\(self.settings.group)/report/\(uuid)", body: nil, token: token)
        }
    }

    /// Runs `body` with a token, fetching a new one once if the register no longer accepts it.
    private func authorised<T: Decodable & Sendable>(_ body: (String) async throws -> (T?, Int)) async throws -> T {
        for _ in 0..<2 {
            let token = try await self.currentToken()
            let (answer, status) = try await body(token)
            if status == 401 {
                self.token = nil
                continue
            }
            guard let answer else { throw CashierError.badAnswer(status: status) }
            return answer
        }
        throw CashierError.rejected(status: 401, reason: "the register refuses the token it just issued")
    }

    private func currentToken() async throws -> String {
        if let token { return token }
        let body = try CashierProtocol.encoder.encode(
            CashierProtocol.TokenRequest(login: self.settings.login, pass: self.settings.password))
        let (answer, status): (CashierProtocol.TokenResponse?, Int) = try await self.call(
            .POST, "getToken", body: body, token: nil)
        guard let token = answer?.token else {
            throw CashierError.rejected(status: status, reason: answer?.error?.text ?? "no token in the answer")
        }
        self.token = token
        return token
    }

    /// One HTTP exchange. 5xx and transport failures are outages (thrown); 2xx and 4xx are decoded.
    private func call<T: Decodable>(
        _ method: HTTPMethod, _ path: String, body: Data?, token: String?
    ) async throws -> (T?, Int) {
        var request = HTTPClientRequest(url: "\(self.settings.baseURL)/\(path)")
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        if let token { request.headers.add(name: "Token", value: token) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response: HTTPClientResponse
        do {
            response = try await self.http.execute(request, timeout: self.settings.timeout)
        } catch {
            throw CashierError.unreachable("\(error)")
        }
        let status = Int(response.status.code)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        if status >= 500 { throw CashierError.unavailable(status: status) }
        if status == 401 { return (nil, status) }
        guard let decoded = try? CashierProtocol.decoder.decode(T.self, from: Data(bytes.readableBytesView)) else {
            if status >= 400 { throw CashierError.rejected(status: status, reason: String(buffer: bytes)) }
            throw CashierError.badAnswer(status: status)
        }
        return (decoded, status)
    }
}

/// Where the cash register is and who the shop is to it.
public struct CashierSettings: Sendable {
    /// e.g. `https://online.atol.ru/possystem/v4`; the simulator answers at its root.
    public var baseURL: String
    public var login: String
    public var password: String
    /// The register group (ATOL's `group_code`).
    public var group: String
    /// The seller's taxpayer number and taxation system, printed on every receipt.
    public var inn: String
    public var sno: String
    /// VAT of every item (`none` for simplified taxation).
    public var vat: String
    public var timeout: TimeAmount

    public init(
        baseURL: String, login: String = "floodgate", password: String = "floodgate", group: String = "floodgate",
        inn: String = "7700000000", sno: String = "usn_income", vat: String = "none", timeout: TimeAmount = .seconds(10)
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.login = login
        self.password = password
        self.group = group
        self.inn = inn
        self.sno = sno
        self.vat = vat
        self.timeout = timeout
    }
}

/// Why the register did not take a receipt.
public enum CashierError: Error, CustomStringConvertible, Sendable {
    /// No answer at all (refused, reset, timed out): an outage.
    case unreachable(String)
    /// A 5xx answer: an outage.
    case unavailable(status: Int)
    /// The register refused what we sent; retrying the same will not help.
    case rejected(status: Int, reason: String)
    case badAnswer(status: Int)

    public var description: String {
        switch self {
        case .unreachable(let reason): "The cash register could not be reached: \(reason)"
        case .unavailable(let status): "The cash register answered \(status)."
        case .rejected(let status, let reason): "The cash register refused the receipt (\(status)): \(reason)"
        case .badAnswer(let status): "The cash register's answer (\(status)) could not be read."
        }
    }
}
