import FloodgateTestSupport
import Testing

@testable import FloodgateWeb

/// The gate in front of the router reads a path both as the router does and as leniently as anyone might.
@Suite("Back-office paths, read both ways")
struct BackOfficePathTests {
    @Test("Every spelling of a closed path is closed; only a clean /admin/login is the sign-in form")
    func readings() {
        let backOffice = [
            "/admin", "/admin/", "//admin/petals/orders", "/ADMIN/petals", "/%61dmin/petals", "/%2561dmin/petals",
            "/./admin/x",
            "/x/../admin/petals", "/admin%2Fpetals", "/admin;x/petals", "/admin\\petals", "/admin/%2e%2e/orders",
            "/admin/..%2f/orders/1",
            "/admin/login;x", "/admin/login/../petals/orders", "/admin/LOGIN/x", "/ admin/petals",
        ]
        for path in backOffice { #expect(BackOfficePath(path: path) == .backOffice, "\(path)") }
        let api = [
            "/api/v1/admin/jobs", "/API/V1/ADMIN/jobs", "/api/v1/admin/jobs/..%2f..%2f..%2f..%2f/retry",
            "/api%2fv1%2fadmin/jobs", "//api//v1//admin",
        ]
        for path in api { #expect(BackOfficePath(path: path) == .adminAPI, "\(path)") }
        for path in ["/admin/login", "/admin/login/", "//admin//login"] {
            #expect(BackOfficePath(path: path) == .signIn, "\(path)")
        }
        for path in ["/", "/s/petals/", "/api/v1/stores", "/administrator-of-roses", "/s/admin/products/1"] {
            #expect(BackOfficePath(path: path) == .open, "\(path)")
        }
    }

    @Test(
        "The dot-segment spellings a router and a lenient reader disagree on are refused, whatever the method",
        arguments: TestEngine.available)
    func disagreementsAreRefused(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.http.adminToken = String(repeating: "k", count: 40) }) {
            server in
            for path in ["/admin/%2e%2e/orders", "/admin/..%2f/orders/1", "/admin/login;x", "/admin/%2E%2E/tours"] {
                for method in ["GET", "HEAD", "OPTIONS", "DELETE", "PUT", "POST"] {
                    let answer = try await server.raw(method, path)
                    let expected = method == "GET" || method == "HEAD" ? [303] : [401, 403]
                    #expect(expected.contains(answer.status), "\(method) \(path): \(answer.status)")
                    #expect(answer.header("Allow") == nil, "\(method) \(path) told which methods it takes")
                }
            }
            for method in ["OPTIONS", "DELETE", "GET"] {
                let answer = try await server.raw(method, "/api/v1/admin/jobs/..%2f..%2f..%2f..%2f/retry")
                #expect(answer.status == 401 && answer.header("Allow") == nil, "\(method): \(answer.status)")
            }
        }
    }
}
