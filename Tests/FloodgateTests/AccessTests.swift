import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

/// Issue 24: who may do what in which store, route by route, as the README's table says.
@Suite("Access: every back-office route × role × store, as the README's table says")
struct AccessTests {
    /// The people of the walk, each with one grant in `petals` and none in `greenbox`.
    enum Persona: String, CaseIterable, Sendable {
        case owner, manager, florist, courier, catalogContractor, deliveryContractor, ordersContractor

        var role: StaffRole {
            switch self {
            case .owner: .owner
            case .manager: .manager
            case .florist: .florist
            case .courier: .courier
            case .catalogContractor, .deliveryContractor, .ordersContractor: .contractor
            }
        }

        var areas: Set<ContractorArea> {
            switch self {
            case .catalogContractor: [.catalog]
            case .deliveryContractor: [.delivery]
            case .ordersContractor: [.orders]
            default: []
            }
        }

        var email: String { "\(self.rawValue.lowercased())@shop.example" }
    }

    static let everyone = Set(Persona.allCases)
    static let orderReaders: Set<Persona> = [.owner, .manager, .florist, .ordersContractor]
    static let catalogEditors: Set<Persona> = [.owner, .manager, .catalogContractor]
    static let deliveryEditors: Set<Persona> = [.owner, .manager, .deliveryContractor]

    /// The README's table, written out route by route (the code's groups are not consulted: this is what they must
    /// do). A store route missing here fails the walk.
    static let table: [String: Set<Persona>] = [
        "GET /admin/{store}": everyone,
        "GET /admin/{store}/tours": everyone,
        "GET /admin/{store}/orders": orderReaders,
        "GET /admin/{store}/orders/{number}": orderReaders,
        "GET /admin/{store}/orders/{number}/sheet": orderReaders,
        "GET /admin/{store}/tours/{tour}/sheets": orderReaders,
        "GET /admin/{store}/days/{date}/sheets": orderReaders,
        "GET /admin/{store}/tours/{tour}/waitlist": orderReaders,
        "POST /admin/{store}/orders/{number}/status": [.owner, .manager, .florist, .courier],
        "GET /admin/{store}/tours/{tour}/manifest": [.owner, .manager, .courier],
        "POST /admin/{store}/tours": deliveryEditors,
        "POST /admin/{store}/tours/generate": deliveryEditors,
        "POST /admin/{store}/tours/{tour}/capacity": deliveryEditors,
        "GET /admin/{store}/delivery": deliveryEditors,
        "POST /admin/{store}/zones": deliveryEditors,
        "POST /admin/{store}/templates": deliveryEditors,
        "GET /admin/{store}/products": catalogEditors,
        "GET /admin/{store}/products/{id}": catalogEditors,
        "POST /admin/{store}/products/{id}": catalogEditors,
        "POST /admin/{store}/products/{id}/photo": catalogEditors,
        "GET /admin/{store}/exports/catalog.csv": catalogEditors,
        "POST /admin/{store}/exports/catalog": catalogEditors,
        "GET /admin/{store}/exports": catalogEditors,
        "GET /admin/{store}/exports/orders.csv": [.owner, .manager],
        "GET /admin/{store}/staff": [.owner],
        "POST /admin/{store}/staff": [.owner],
        "POST /admin/{store}/staff/{person}/grant": [.owner],
        "POST /admin/{store}/staff/{person}/revoke": [.owner],
        "POST /admin/{store}/staff/{person}/disable": [.owner],
        "POST /admin/{store}/staff/{person}/enable": [.owner],
        "POST /admin/{store}/staff/{person}/password": [.owner],
        "POST /admin/{store}/staff/{person}/second-factor/reset": [.owner],
        "POST /admin/{store}/sessions/{handle}/end": [.owner],
        "GET /admin/{store}/audit": [.owner],
    ]

    @Test(
        "Each role reaches exactly its routes in its store and nothing in another: 0 escalations, 0 cross-store reads",
        arguments: TestEngine.available)
    func routeByRoleByStore(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let data = try await BackOfficeGuardTests.setUp(server)
            var browsers: [Persona: StaffBrowser] = [:]
            for persona in Persona.allCases {
                try await server.addStaff(persona.email, role: persona.role, areas: persona.areas)
                browsers[persona] = try await server.signIn(persona.email)
            }
            let storeRoutes = try await BackOfficeGuardTests.routes(server).filter {
                $0.path.hasPrefix("/admin/{store}") && $0.method != "HEAD" && $0.method != "OPTIONS"
            }
            var (allowed, refused, crossStore, notAllowed) = (0, 0, 0, 0)
            var walked: Set<String> = []
            for route in storeRoutes {
                let own = BackOfficeGuardTests.fill(route.path, data)
                let other = own.replacingOccurrences(of: "/admin/petals", with: "/admin/greenbox")
                // A method the path does not take (``MethodNotAllowed``) is 405 for everyone, with no data.
                if try await Self.send(route.method, own, as: browsers[.owner]!).status == 405 {
                    notAllowed += 1
                    for persona in Persona.allCases {
                        let answer = try await Self.send(route.method, own, as: browsers[persona]!)
                        #expect(
                            [403, 405].contains(answer.status), "\(persona) \(route.method) \(own): \(answer.status)")
                        #expect(!answer.body.contains(BackOfficeGuardTests.customer))
                    }
                    continue
                }
                walked.insert("\(route.method) \(route.path)")
                let who = Self.table["\(route.method) \(route.path)"] ?? []
                for persona in Persona.allCases {
                    let answer = try await Self.send(route.method, own, as: browsers[persona]!)
                    if who.contains(persona) {
                        allowed += 1
                        #expect(
                            answer.status != 403 && answer.status != 401 && answer.status < 500
                                && !(answer.location ?? "").hasPrefix("/admin/login"),
                            "\(persona) \(route.method) \(own): \(answer.status) \(answer.body.prefix(200))")
                    } else {
                        refused += 1
                        #expect(answer.status == 403, "\(persona) escalated: \(route.method) \(own): \(answer.status)")
                        #expect(!answer.body.contains(BackOfficeGuardTests.customer), "\(persona) read a customer")
                    }
                    let elsewhere = try await Self.send(route.method, other, as: browsers[persona]!)
                    crossStore += 1
                    #expect(
                        elsewhere.status == 403,
                        "\(persona) crossed stores: \(route.method) \(other): \(elsewhere.status)")
                    #expect(!elsewhere.body.contains(BackOfficeGuardTests.customer))
                }
            }
            // Every route the router serves is in the table, and every line of the table is a route it serves.
            let unlisted = walked.subtracting(Self.table.keys)
            let unserved = Set(Self.table.keys).subtracting(walked)
            #expect(unlisted.isEmpty && unserved.isEmpty, "not in the table: \(unlisted); not served: \(unserved)")
            #expect(notAllowed > 50, "the other methods of the store's paths were walked too")
            #expect(allowed > 60 && refused > 60 && crossStore == allowed + refused)
            // The chrome shows each only their links.
            let florist = try await browsers[.florist]!.get("/admin/petals/")
            #expect(florist.body.contains("/admin/petals/orders") && !florist.body.contains("/admin/petals/products"))
            let courier = try await browsers[.courier]!.get("/admin/petals/")
            #expect(courier.body.contains("/manifest") && !courier.body.contains("/admin/petals/orders\""))
        }
    }

    /// Any method, with the browser's cookie (and its CSRF token, so that a refusal is the role's, not the form's).
    static func send(
        _ method: String, _ path: String, as browser: StaffBrowser
    ) async throws -> (status: Int, body: String, location: String?) {
        let answer = try await browser.server.raw(
            method, path,
            headers: [("Cookie", browser.cookie), ("Content-Type", "application/x-www-form-urlencoded")],
            body: "csrf=\(browser.csrf)")
        return (answer.status, answer.body, answer.header("Location"))
    }

    @Test(
        "Florists move orders up to ready, couriers from ready to delivered (from the manifest), managers cancel",
        arguments: TestEngine.available)
    func orderStepsByRole(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let numbers = try await BackOfficeTests.placeOrders(server, count: 2)
            let number = numbers[0]
            for persona in [Persona.florist, .courier, .manager] {
                try await server.addStaff(persona.email, role: persona.role)
            }
            let florist = try await server.signIn(Persona.florist.email)
            let courier = try await server.signIn(Persona.courier.email)
            let manager = try await server.signIn(Persona.manager.email)
            let path = "/admin/petals/orders/\(number)/status"
            func step(_ who: StaffBrowser, _ from: String, _ to: String, back: String? = nil) async throws -> Int {
                var fields = [("status", to), ("from", from)]
                if let back { fields.append(("back", back)) }
                return try await who.post(path, fields).status
            }
            #expect(try await step(courier, "new", "confirmed") == 403, "a courier does not confirm")
            #expect(try await step(florist, "new", "confirmed") == 303)
            #expect(try await step(florist, "confirmed", "assembling") == 303)
            #expect(try await step(florist, "assembling", "ready") == 303)
            #expect(try await step(florist, "ready", "out-for-delivery") == 403, "a florist does not deliver")
            #expect(
                try await florist.post(path, [("status", "cancelled"), ("from", "ready"), ("reason", "x")]).status
                    == 403)
            let tour = try await server.firstOpenWindow()
            let manifest = try await courier.get("/admin/petals/tours/\(tour)/manifest")
            #expect(manifest.body.contains("data-testid=\"step-\(number)\""), "the courier's button is on the manifest")
            let out = try await courier.post(
                path, [("status", "out-for-delivery"), ("from", "ready"), ("back", "manifest")])
            #expect(out.status == 303)
            #expect(out.headers["location"].first?.hasPrefix("/admin/petals/tours/\(tour)/manifest") == true)
            #expect(
                try await courier.get("/admin/petals/orders/\(number)").status == 403, "couriers see manifests only")
            #expect(try await step(courier, "out-for-delivery", "delivered") == 303)
            let events = try await server.database.strings(
                "SELECT actor_role || ':' || action FROM audit_log WHERE object_type = 'order' ORDER BY id")
            #expect(
                events == [
                    "florist:order.status", "florist:order.status", "florist:order.status", "courier:order.status",
                    "courier:order.status",
                ])
            let cancel = [("status", "cancelled"), ("from", "new"), ("reason", "The customer called")]
            #expect(try await manager.post("/admin/petals/orders/\(numbers[1])/status", cancel).status == 303)
            #expect(
                try await server.database.strings(
                    "SELECT actor_role || ':' || action FROM audit_log WHERE action = 'order.cancel'")
                    == ["manager:order.cancel"])
        }
    }
}
