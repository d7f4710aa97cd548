import AsyncHTTPClient
import FloodgateTestSupport
import Foundation
import NIOCore
import NIOHTTP1

/// An answer as a test looks at it.
struct TestResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: String

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(self.body.utf8)) }
    var object: [String: Any] { self.json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { self.json as? [[String: Any]] ?? [] }
    func header(_ name: String) -> String? { self.headers.first(name: name) }
    /// The `type` of a problem+json body, without the `urn:floodgate:problem:` prefix.
    var problemType: String? {
        (self.object["type"] as? String)?.replacingOccurrences(of: "urn:floodgate:problem:", with: "")
    }
    /// Cookies set by the answer, name → value.
    var cookies: [String: String] {
        var out: [String: String] = [:]
        for line in self.headers["set-cookie"] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            out[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        return out
    }
}

extension TestResponse {
    /// One exchange with any HTTP peer.
    static func fetch(
        _ client: HTTPClient, _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> TestResponse {
        try await Self.fetch(client, method, url, headers: headers, bytes: body.map { Array($0.utf8) })
    }

    static func fetch(
        _ client: HTTPClient, _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], bytes: [UInt8]?
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 10 * 1024 * 1024)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }
}

extension TestServer {
    func request(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> TestResponse {
        try await TestResponse.fetch(self.client, method, self.baseURL + path, headers: headers, body: body)
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await self.request(.GET, path, headers: headers)
    }

    func postJSON(_ path: String, _ body: String, key: String? = UUID().uuidString) async throws -> TestResponse {
        var headers = [("Content-Type", "application/json")]
        if let key { headers.append(("Idempotency-Key", key)) }
        return try await self.request(.POST, path, headers: headers, body: body)
    }

    func postForm(_ path: String, _ fields: [(String, String)], cookie: String? = nil) async throws -> TestResponse {
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        if let cookie { headers.append(("Cookie", cookie)) }
        let body = fields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        return try await self.request(.POST, path, headers: headers, body: body)
    }

    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// A valid order body for the store, built from what the API lists.
    func orderBody(
        store: String = "petals", window: Int? = nil, product: Int? = nil, quantity: Int = 1,
        note: String = "Happy birthday!"
    )
        async throws -> String
    {
        let windowID: Int
        if let window {
            windowID = window
        } else {
            windowID = try await self.firstOpenWindow(store: store)
        }
        let productID: Int
        if let product {
            productID = product
        } else {
            productID = try await self.firstAvailableProduct(store: store)
        }
        let body: [String: Any] = [
            "items": [["product": productID, "quantity": quantity]],
            "customer": ["name": "Anna Petrova", "phone": "+7 495 123-45-67", "email": "anna@example.com"],
            "recipient": [
                "name": "Olga Ivanova", "phone": "+7 916 555-12-34", "address": "Tverskaya 7, flat 12, Moscow",
            ],
            "deliveryWindow": windowID,
            "cardMessage": note,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    func firstOpenWindow(store: String = "petals") async throws -> Int {
        let windows = try await self.get("/api/v1/stores/\(store)/delivery-windows").array
        guard let window = windows.first(where: { ($0["remaining"] as? Int ?? 0) > 0 }), let id = window["id"] as? Int
        else {
            throw TestSetupError("no open delivery window in \(store)")
        }
        return id
    }

    func firstAvailableProduct(store: String = "petals") async throws -> Int {
        let products = try await self.get("/api/v1/stores/\(store)/products").array
        guard let product = products.first(where: { $0["available"] as? Bool == true }), let id = product["id"] as? Int
        else {
            throw TestSetupError("no available product in \(store)")
        }
        return id
    }

    var orderCount: Int { get async throws { try await self.database.scalar("SELECT COUNT(*) FROM orders") } }
}
