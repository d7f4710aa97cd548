import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Hummingbird
import Logging
import Testing

@testable import FloodgateWeb

/// Issue 22: the back-office and the admin API are closed to strangers by the route, whatever the path's spelling.
@Suite("Back-office guard: every route closed or public by name, every spelling of a closed path refused")
struct BackOfficeGuardTests {
    static let adminToken = String(repeating: "k", count: 40)
    static let customer = "Guarded Customer Petrova"

    /// The routes anyone may call: the storefront, the public API, the sign-in form. A route missing here must
    /// refuse a stranger, or the walk below fails: a route added later without a guard cannot go unnoticed.
    static let open: Set<String> = [
        "GET /", "GET /healthz", "GET /robots.txt", "GET /sitemap.xml",
        "GET /s/{store}", "GET /s/{store}/products/{id}", "GET /s/{store}/cart", "POST /s/{store}/cart",
        "POST /s/{store}/cart/items",
        "POST /s/{store}/cart/remove", "GET /s/{store}/checkout", "POST /s/{store}/checkout",
        "GET /s/{store}/orders/{number}",
        "GET /s/{store}/tours/{tour}/waitlist", "POST /s/{store}/tours/{tour}/waitlist",
        "GET /s/{store}/tours/{tour}/waitlist/sent",
        "GET /s/{store}/waitlist/{token}", "POST /s/{store}/waitlist/{token}/leave",
        "GET /api/v1/openapi.yaml", "GET /api/v1/stores", "GET /api/v1/stores/{store}/products",
        "GET /api/v1/stores/{store}/products/{id}",
        "GET /api/v1/stores/{store}/delivery-windows", "GET /api/v1/stores/{store}/zones",
        "POST /api/v1/stores/{store}/delivery-windows/{id}/waitlist",
        "POST /api/v1/stores/{store}/orders", "GET /api/v1/stores/{store}/orders/{number}",
        "GET /admin/login", "POST /admin/login",
    ]

    /// The methods each open path takes, from ``open``: on such a path every other method is a route that
    /// ``MethodNotAllowed`` added, answering 405 (OPTIONS: 204) with `Allow` — a real route there missing from
    /// ``open`` answers something else, and the walk fails.
    static let openMethods: [String: [String]] = {
        var methods: [String: [String]] = [:]
        for route in BackOfficeGuardTests.open {
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            methods[parts[1], default: []].append(parts[0])
        }
        return methods.mapValues { $0.sorted() }
    }()

    /// The real application's routes, from the same `buildRouter` the server runs.
    static func routes(_ server: TestServer) async throws -> [(method: String, path: String)] {
        let router = try buildRouter(
            repositories: .sql(database: server.database, settings: server.config.store), views: try await Views.load(),
            http: server.config.http,
            store: server.config.store, gates: nil,
            clients: ClientLimits(settings: server.config.http.admission), times: ShopTimes(), load: VisitorLoad(),
            logger: Logger(label: "routes")
        )
        return router.routes.map { (method: $0.method.rawValue, path: $0.path.description) }
    }

    /// A concrete path for a route, with values that would find real data if the route let a stranger in.
    static func fill(_ path: String, _ data: Targets) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            switch segment {
            case "{store}": "petals"
            case "{number}": data.order
            case "{tour}": String(data.tour)
            case "{id}": "1"
            case "{date}": data.date
            case "{name}": "prune"
            case "{token}": "0123456789abcdef"
            default: String(segment)
            }
        }.joined(separator: "/")
    }

    /// What the filled-in paths point at: a real order, its tour and its day.
    struct Targets {
        var order: String
        var tour: Int
        var date: String
    }

    static func setUp(_ server: TestServer) async throws -> Targets {
        let orders = try await BackOfficeTests.placeOrders(server, count: 1) { _ in Self.customer }
        let tour = try await server.firstOpenWindow()
        let windows = try await server.get("/api/v1/stores/petals/delivery-windows").array
        let date = windows.first { $0["id"] as? Int == tour }?["date"] as? String ?? ""
        return Targets(order: orders[0], tour: tour, date: date)
    }

    @Test("Every route is open by name, or turns a stranger away before any data", arguments: TestEngine.available)
    func everyRouteIsGuarded(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.http.adminToken = Self.adminToken }) { server in
            let data = try await Self.setUp(server)
            let routes = try await Self.routes(server)
            #expect(routes.count > 50, "the walk sees the whole router")
            var closed = 0
            var notAllowed = 0
            for route in routes where !Self.open.contains("\(route.method) \(route.path)") {
                let path = Self.fill(route.path, data)
                let answer = try await server.raw(
                    route.method, path, headers: [("Content-Type", "application/x-www-form-urlencoded")])
                if let allowed = Self.openMethods[route.path] {
                    notAllowed += 1
                    Self.expectNotAllowed(answer, route.method, path, allow: allowed)
                } else {
                    closed += 1
                    Self.expectRefused(answer, route.method, path, api: route.path.hasPrefix("/api/"))
                }
            }
            #expect(closed > 30, "back-office and admin routes were walked")
            #expect(notAllowed > 50, "the other methods of open paths were walked")
        }
    }

    @Test("No spelling of a back-office or admin API path lets a stranger in", arguments: TestEngine.available)
    func spellingsAreRefused(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.http.adminToken = Self.adminToken }) { server in
            let data = try await Self.setUp(server)
            // A method an open path does not take is no way into the back-office: the walk above checks its 405.
            let closed = try await Self.routes(server).filter {
                !Self.open.contains("\($0.method) \($0.path)") && Self.openMethods[$0.path] == nil
            }
            var sent = 0
            for route in closed {
                let path = Self.fill(route.path, data)
                for spelling in Self.spellings(of: path) {
                    let answer = try await server.raw(
                        route.method, spelling, headers: [("Content-Type", "application/x-www-form-urlencoded")])
                    Self.expectRefused(answer, route.method, spelling, api: route.path.hasPrefix("/api/"))
                    sent += 1
                }
            }
            #expect(sent > 300)
        }
    }

    @Test(
        "The same paths, with a session or the token, are served: the refusals above are the guard's",
        arguments: TestEngine.available)
    func theGuardIsWhatRefuses(engine: TestEngine) async throws {
        try await TestServer.run(engine, configure: { $0.http.adminToken = Self.adminToken }) { server in
            let order = try await Self.setUp(server).order
            try await server.addStaff("olga@shop.example", role: .owner)
            let owner = try await server.signIn("olga@shop.example")
            let page = try await server.raw("GET", "/admin/petals/orders", headers: [("Cookie", owner.cookie)])
            #expect(page.status == 200 && page.body.contains(Self.customer))
            // The router ignores an empty segment: with a session, `//admin` is the same page, through the same guard.
            let doubled = try await server.raw(
                "GET", "//admin/petals/orders/\(order)", headers: [("Cookie", owner.cookie)])
            #expect(doubled.status == 200 && doubled.body.contains(Self.customer))
            let jobs = try await server.raw(
                "GET", "/api/v1/admin/jobs", headers: [("Authorization", "Bearer \(Self.adminToken)")])
            #expect(jobs.status == 200)
            // A forged or expired cookie is no session; an empty one neither.
            for cookie in ["fg_staff=", "fg_staff=0000000000000000", "fg_staff=\(owner.cookie.dropFirst(9))x"] {
                let answer = try await server.raw("GET", "/admin/petals/orders", headers: [("Cookie", cookie)])
                Self.expectRefused(answer, "GET", "/admin/petals/orders with \(cookie)", api: false)
            }
        }
    }

    /// `path` as a stranger might spell it to slip past a guard that compares strings.
    static func spellings(of path: String) -> [String] {
        let rest = path.dropFirst()
        let parts = rest.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first else { return ["//", "/./", "/%2F"] }
        let tail = parts.count > 1 ? parts[1] : ""
        let after = tail.isEmpty ? "" : "/" + tail
        var spellings = [
            "/" + path, "/./" + rest, "/" + first + "/." + after, "/" + first + "//" + tail,
            "/%61" + first.dropFirst() + after, "/" + first.uppercased() + after,
            "/" + first + "/x/.." + after, path + "/",
            "/" + first + "%2F" + tail.replacingOccurrences(of: "/", with: "%2F"),
            "/" + first + "%2f" + tail, "/" + first + ";x" + after, "/%2561" + first.dropFirst() + after,
            "/" + first + "\\" + tail,
        ]
        if path.hasPrefix("/api/") { spellings.append(path.replacingOccurrences(of: "/admin", with: "/ADMIN")) }
        return spellings
    }

    /// A method an open path does not take: 405 with `Allow` naming the ones it does, HEAD with GET (OPTIONS: 204
    /// with it), no data.
    static func expectNotAllowed(
        _ answer: RawAnswer, _ method: String, _ path: String, allow: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let allow = allow.contains("GET") ? (allow + ["HEAD"]).sorted() : allow
        #expect(
            !answer.body.contains(Self.customer), "\(method) \(path) showed a customer", sourceLocation: sourceLocation)
        #expect(
            answer.status == (method == "OPTIONS" ? 204 : 405), "\(method) \(path): \(answer.status)",
            sourceLocation: sourceLocation)
        #expect(
            answer.header("Allow") == allow.joined(separator: ", "),
            "\(method) \(path): \(answer.header("Allow") ?? "no Allow")",
            sourceLocation: sourceLocation
        )
    }

    /// A page sends a stranger to the sign-in form; anything else is 401 or 403. Never a 2xx, never the customer.
    /// `api`: the route is the admin API's (a bearer token, not a session).
    static func expectRefused(
        _ answer: RawAnswer, _ method: String, _ path: String, api: Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            !answer.body.contains(Self.customer), "\(method) \(path) showed a customer", sourceLocation: sourceLocation)
        if api {
            #expect(answer.status == 401, "\(method) \(path): \(answer.status)", sourceLocation: sourceLocation)
        } else if method == "GET" || method == "HEAD" {
            #expect(answer.status == 303, "\(method) \(path): \(answer.status)", sourceLocation: sourceLocation)
            #expect(
                answer.header("Location")?.hasPrefix("/admin/login?next=") == true, "\(method) \(path)",
                sourceLocation: sourceLocation)
        } else {
            #expect(
                [401, 403].contains(answer.status), "\(method) \(path): \(answer.status)",
                sourceLocation: sourceLocation)
        }
    }
}
