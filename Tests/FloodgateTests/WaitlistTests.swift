import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

@Suite("Waiting lists: one hold per freed place, holds that run out, the link's checkout")
struct WaitlistTests {
    /// A tour of `capacity` places, all taken by real orders; returns the tour and the order ids.
    static func fullTour(_ server: TestServer, capacity: Int) async throws -> (tour: Int, orders: [Int]) {
        let tour = try await SQLTourRepository(database: server.database).createTour(
            DeliveryWindow(
                id: 0, storeID: 1, date: LocalTime.date(daysFromNow: 3, in: "Europe/Moscow"), from: "10:00",
                to: "14:00", capacity: capacity, reserved: 0), by: .system
        )
        var orders: [Int] = []
        for _ in 0..<capacity {
            let placed = try await server.postJSON(
                "/api/v1/stores/petals/orders", try await server.orderBody(window: tour.id))
            try #require(placed.status == 201)
            orders.append(OrderNumber.id(in: placed.object["number"] as? String ?? "", prefix: "PE") ?? 0)
        }
        return (tour.id, orders)
    }

    static func join(_ server: TestServer, tour: Int, _ index: Int) async throws -> TestResponse {
        try await server.postJSON(
            "/api/v1/stores/petals/delivery-windows/\(tour)/waitlist",
            #"{"name":"Waiting \#(index)","email":"wait\#(index)@example.com","phone":"+7 900 100-00-\#(10 + index)"}"#
        )
    }

    /// The tokens of a tour's line, first joined first. The answer to joining never holds one (only the email
    /// does, see ``WaitlistPrivacyTests``), so tests read them where the shop keeps them.
    static func tokens(_ server: TestServer, tour: Int) async throws -> [String] {
        try await SQLWaitlistRepository(database: server.database).entries(windowID: tour).map(\.token)
    }

    /// `count` people join the tour's line, one after another; returns their tokens in line order.
    static func joinInTurn(_ server: TestServer, tour: Int, count: Int) async throws -> [String] {
        for index in 0..<count {
            let joined = try await Self.join(server, tour: tour, index)
            try #require(joined.status == 201, "\(joined.body)")
        }
        return try await Self.tokens(server, tour: tour)
    }

    /// An order body for the tour, taking the place held for `hold` if given.
    static func order(_ server: TestServer, tour: Int, hold: String? = nil) async throws -> TestResponse {
        var body =
            try JSONSerialization.jsonObject(with: Data(try await server.orderBody(window: tour).utf8))
            as! [String: Any]
        body["hold"] = hold
        return try await server.postJSON(
            "/api/v1/stores/petals/orders",
            String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
    }

    @Test(
        "Cancellations racing joins and checkouts hold each freed place for exactly one person, first in line first",
        arguments: TestEngine.available)
    func cancellationsGiveOneHoldEach(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let (tour, orders) = try await Self.fullTour(server, capacity: 6)
            let tokens = try await Self.joinInTurn(server, tour: tour, count: 10)
            let waitlists = SQLWaitlistRepository(database: server.database)
            let line = try await waitlists.entries(windowID: tour)
            #expect(line.map(\.email) == (0..<10).map { "wait\($0)@example.com" })
            #expect(
                try await line.asyncMap { try await waitlists.position(of: $0) } == Array(1...10),
                "in line in the order they joined")
            let admin = SQLOrderAdminRepository(database: server.database)
            let staff = Actor(kind: .system, name: "test")
            enum Outcome: Sendable {
                case cancelled
                case order(Int)
                case joined(Int)
            }
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for id in orders.prefix(3) {
                    group.addTask {
                        _ = try await admin.changeStatus(
                            storeID: 1, orderID: id, to: .cancelled, reason: "customer called", by: staff)
                        return .cancelled
                    }
                }
                for _ in 0..<20 { group.addTask { .order(try await Self.order(server, tour: tour).status) } }
                for index in 10..<15 {
                    group.addTask { .joined(try await Self.join(server, tour: tour, index).status) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let orderStatuses = outcomes.compactMap { if case .order(let status) = $0 { status } else { nil } }
            #expect(
                orderStatuses.allSatisfy { $0 == 409 }, "a freed place went to someone not in line: \(orderStatuses)")
            #expect(outcomes.allSatisfy { if case .joined(let status) = $0 { status == 201 } else { true } })

            #expect(try await server.database.scalar("SELECT reserved FROM delivery_windows WHERE id = \(tour)") == 3)
            #expect(try await server.database.scalar("SELECT held FROM delivery_windows WHERE id = \(tour)") == 3)
            let offered = try await waitlists.entries(windowID: tour).filter { $0.status == .offered }
            #expect(offered.map(\.token) == Array(tokens.prefix(3)), "the first three in line hold the three places")
            #expect(offered.allSatisfy { ($0.holdUntil ?? 0) > WallClock.nowMillis + 25 * 60_000 })
            #expect(
                try await server.database.scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'email.waitlist-offer'") == 3)
            #expect(
                try await server.database.scalar("SELECT COUNT(*) FROM waitlist_entries WHERE status = 'waiting'") == 12
            )
            #expect(
                try await server.database.scalar("SELECT COUNT(*) FROM order_events WHERE to_status = 'cancelled'") == 3
            )
        }
    }

    @Test(
        "An expired hold passes to the next in line; the link's checkout takes the held place while the tour looks full",
        arguments: TestEngine.available)
    func expiryPassesTheOfferOn(engine: TestEngine) async throws {
        // Web only: the worker's `release-holds` task (every 15 s) would otherwise race this test's own call.
        try await TestServer.run(engine, configure: { $0.role = .web }) { server in
            let (tour, orders) = try await Self.fullTour(server, capacity: 2)
            let tokens = try await Self.joinInTurn(server, tour: tour, count: 3)
            _ = try await SQLOrderAdminRepository(database: server.database)
                .changeStatus(
                    storeID: 1, orderID: orders[0], to: .cancelled, reason: "wrong address",
                    by: Actor(kind: .system, name: "test"))
            let waitlists = SQLWaitlistRepository(database: server.database)
            #expect(try await waitlists.entries(windowID: tour).map(\.status) == [.offered, .waiting, .waiting])

            // The first hold runs out: its link no longer orders, and nothing is written.
            try await server.database.execute(
                "UPDATE waitlist_entries SET hold_until = \(WallClock.nowMillis - 1) WHERE token = '\(tokens[0])'")
            let late = try await Self.order(server, tour: tour, hold: tokens[0])
            #expect(late.status == 410)
            #expect(late.problemType == "hold-expired")
            #expect(try await server.orderCount == 2)

            #expect(try await waitlists.releaseExpiredHolds(now: WallClock.nowMillis) == 1)
            #expect(try await waitlists.entries(windowID: tour).map(\.status) == [.expired, .offered, .waiting])
            #expect(try await server.database.scalar("SELECT held FROM delivery_windows WHERE id = \(tour)") == 1)

            // Everyone else sees the tour full…
            let listed = try await server.get("/api/v1/stores/petals/delivery-windows").array.first {
                $0["id"] as? Int == tour
            }
            #expect(listed?["remaining"] as? Int == 0)
            #expect(try await Self.order(server, tour: tour).status == 409)
            // …the person holding the place orders with it.
            let held = try await Self.order(server, tour: tour, hold: tokens[1])
            #expect(held.status == 201, "\(held.body)")
            #expect(try await server.database.scalar("SELECT reserved FROM delivery_windows WHERE id = \(tour)") == 2)
            #expect(try await server.database.scalar("SELECT held FROM delivery_windows WHERE id = \(tour)") == 0)
            #expect(try await waitlists.entries(windowID: tour).map(\.status) == [.expired, .converted, .waiting])
            // A used hold is used.
            #expect(try await Self.order(server, tour: tour, hold: tokens[1]).status == 410)
        }
    }

    @Test(
        "Leaving with a held place passes it on; a tour with places has no line; raising capacity offers places",
        arguments: TestEngine.available)
    func leavingAndCapacity(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            let (tour, orders) = try await Self.fullTour(server, capacity: 1)
            let tokens = try await Self.joinInTurn(server, tour: tour, count: 3)
            _ = try await SQLOrderAdminRepository(database: server.database)
                .changeStatus(
                    storeID: 1, orderID: orders[0], to: .cancelled, reason: "duplicate",
                    by: Actor(kind: .system, name: "test"))
            let leave = try await server.postForm("/s/petals/waitlist/\(tokens[0])/leave", [])
            #expect(leave.status == 303)
            let waitlists = SQLWaitlistRepository(database: server.database)
            #expect(try await waitlists.entries(windowID: tour).map(\.status) == [.left, .offered, .waiting])

            // Staff add two places: the next in line is offered one; the other is free for anyone.
            _ = try await SQLTourRepository(database: server.database).setCapacity(
                storeID: 1, tourID: tour, capacity: 3, by: .system)
            #expect(try await waitlists.entries(windowID: tour).map(\.status) == [.left, .offered, .offered])
            #expect(
                try await server.database.scalar(
                    "SELECT capacity - reserved - held FROM delivery_windows WHERE id = \(tour)") == 1)
            let refused = try await Self.join(server, tour: tour, 9)
            #expect(refused.status == 409)
            #expect(refused.problemType == "places-left")
            #expect(try await Self.order(server, tour: tour).status == 201)

            // The link of a held place shows the checkout for it; of a person who left, that they left.
            let page = try await server.get("/s/petals/waitlist/\(tokens[1])", headers: [("User-Agent", "Mozilla/5.0")])
            #expect(page.status == 200)
            #expect(page.body.contains("is held for you until"))
            #expect(page.body.contains("name=\"hold\" value=\"\(tokens[1])\""))
            // Sent back with a mistake, the held checkout is shown again for the held place.
            let product = try await server.firstAvailableProduct()
            let mistaken = try await server.postForm(
                "/s/petals/checkout",
                [
                    ("items", "\(product)x1"), ("hold", tokens[1]), ("window", "\(tour)"), ("customer_name", "Anna"),
                    ("customer_phone", "call me"),
                    ("customer_email", "anna@example.com"), ("recipient_name", "Vera"),
                    ("recipient_phone", "+7 916 555-12-34"), ("address", "Tverskaya 7"),
                ])
            #expect(mistaken.status == 422)
            #expect(mistaken.body.contains("is held for you until"))
            #expect(mistaken.body.contains("name=\"hold\" value=\"\(tokens[1])\""))
            let gone = try await server.get("/s/petals/waitlist/\(tokens[0])", headers: [("User-Agent", "Mozilla/5.0")])
            #expect(gone.body.contains("You have left this waiting list"))
            #expect(
                try await server.get("/s/petals/waitlist/nope", headers: [("User-Agent", "Mozilla/5.0")]).status == 404)
        }
    }
}

extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
