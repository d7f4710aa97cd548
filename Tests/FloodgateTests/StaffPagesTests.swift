import FloodgateCore
import FloodgateStore
import FloodgateTestSupport
import Foundation
import Testing

/// Issue 24: owners manage their store's people, sessions and audit log in the back-office.
@Suite("Staff pages: owners add, change, remove and sign out their store's people; the audit log and histories")
struct StaffPagesTests {
    @Test(
        "An owner adds a contractor until a date, changes and removes access, ends a session; bad input is re-shown",
        arguments: TestEngine.available)
    func manageStaff(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            let owner = try await server.signIn("olga@shop.example")
            let bad = try await owner.post(
                "/admin/petals/staff",
                [("email", "kostya@contractor"), ("name", ""), ("role", "contractor"), ("password", "password123")])
            #expect(bad.status == 422)
            for message in [
                "Give the person&#39;s email address.", "Tick what the contractor may touch.",
                "Give their name (at most 100 characters).", "among the most common",
            ] {
                #expect(bad.body.contains(message), "\(message)")
            }
            #expect(bad.body.contains("value=\"kostya@contractor\""), "the form keeps what was typed")
            #expect(try await server.database.scalar("SELECT COUNT(*) FROM staff") == 1, "nothing half-written")

            let added = try await owner.post(
                "/admin/petals/staff",
                [
                    ("email", "Kostya@Contractor.example"), ("name", "Kostya"), ("role", "contractor"), ("tasks", "on"),
                    ("catalog", "on"), ("until", "2099-02-20"), ("password", "lilac-and-birch-42"),
                ])
            #expect(added.status == 303)
            let page = try await owner.get("/admin/petals/staff")
            #expect(page.body.contains("kostya@contractor.example") && page.body.contains("contractor (catalog,tasks)"))
            #expect(page.body.contains("2099-02-20"))
            let kostya = try await server.signIn("kostya@contractor.example", password: "lilac-and-birch-42")
            #expect(try await kostya.get("/admin/petals/products").status == 200)
            #expect(try await kostya.get("/admin/petals/orders").status == 403)

            let id = try await server.database.scalar("SELECT id FROM staff WHERE email = 'kostya@contractor.example'")
            // His live session is listed, and ends when the owner says so.
            let handle = try #require(
                try await SQLStaffRepository(database: server.database).sessions(staffID: id, policy: SessionPolicy())
                    .first?.handle)
            #expect(try await owner.get("/admin/petals/staff").body.contains("end-\(handle)"))
            #expect(try await owner.post("/admin/petals/sessions/\(handle)/end", []).status == 303)
            #expect(try await kostya.get("/admin/petals/products").status == 303, "signed out")

            // Narrowed to the catalog, then removed from the store.
            let again = try await server.signIn("kostya@contractor.example", password: "lilac-and-birch-42")
            #expect(
                try await owner.post("/admin/petals/staff/\(id)/grant", [("role", "contractor"), ("orders", "on")])
                    .status == 303)
            #expect(try await again.get("/admin/petals/products").status == 403)
            #expect(try await again.get("/admin/petals/orders").status == 200)
            #expect(try await owner.post("/admin/petals/staff/\(id)/revoke", []).status == 303)
            #expect(try await again.get("/admin/petals/orders").status == 303)

            // Nobody changes their own access here.
            let me = try await server.database.scalar("SELECT id FROM staff WHERE email = 'olga@shop.example'")
            #expect(try await owner.post("/admin/petals/staff/\(me)/revoke", []).status == 403)
        }
    }

    @Test(
        "An owner of one store cannot disable, re-password or sign out someone who also works in another, nor see it",
        arguments: TestEngine.available)
    func storesStayApart(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            let owner = try await server.signIn("olga@shop.example")
            let both = try await server.addStaff("sasha@shop.example", role: .florist)
            let greenbox = try #require(try await SQLStoreRepository(database: server.database).find(slug: "greenbox"))
            try await SQLStaffRepository(database: server.database).grant(
                staffID: both, StaffGrant(storeID: greenbox.id, role: .florist), by: .system)
            #expect(try await owner.post("/admin/petals/staff/\(both)/disable", []).status == 403)
            #expect(
                try await owner.post("/admin/petals/staff/\(both)/password", [("password", "a-new-long-secret-9")])
                    .status == 403)
            // A greenbox-only courier is none of petals' business.
            let other = try await server.addStaff("ivan@shop.example", role: .courier, store: "greenbox")
            let ivan = try await server.signIn("ivan@shop.example")
            _ = ivan
            #expect(try await owner.post("/admin/petals/staff/\(other)/disable", []).status == 404)
            let page = try await owner.get("/admin/petals/staff")
            #expect(!page.body.contains("ivan@shop.example"))
            // Nor can an owner attach an account of another store by "adding" its email (whose password they would
            // not know, but whose sessions and sign-ins they would then see): the operator grants that.
            let attach = try await owner.post(
                "/admin/petals/staff",
                [
                    ("email", "ivan@shop.example"), ("name", "Ivan"), ("role", "florist"),
                    ("password", "mine-and-only-mine-7"),
                ])
            #expect(attach.status == 422 && attach.body.contains("There is already an account for ivan@shop.example"))
            #expect(
                try await server.database.scalar("SELECT COUNT(*) FROM staff_grants WHERE staff_id = \(other)") == 1)
            let handle = try #require(
                try await SQLStaffRepository(database: server.database).sessions(
                    staffID: other, policy: SessionPolicy()
                )
                .first?.handle)
            #expect(try await owner.post("/admin/petals/sessions/\(handle)/end", []).status == 404)
            #expect(!(try await owner.get("/admin/petals/audit").body.contains("ivan@shop.example")))
        }
    }

    @Test(
        "The audit page filters by person, action and object; a product's page shows its price history, an order's its story",
        arguments: TestEngine.available)
    func auditPages(engine: TestEngine) async throws {
        try await TestServer.run(engine) { server in
            try await server.addStaff("olga@shop.example", role: .owner)
            try await server.addStaff("mila@shop.example", role: .manager)
            let owner = try await server.signIn("olga@shop.example")
            let manager = try await server.signIn("mila@shop.example")
            let number = try await BackOfficeTests.placeOrders(server, count: 1)[0]
            #expect(
                try await manager.post(
                    "/admin/petals/orders/\(number)/status",
                    [("status", "cancelled"), ("from", "new"), ("reason", "Wrong address")]
                ).status == 303)
            let product = try #require(
                try await SQLCatalogRepository(database: server.database).products(storeID: 1).first)
            let edit = try await manager.get("/admin/petals/products/\(product.id)")
            let fields = ProductForm.fields(of: edit.body).map { ($0.0, $0.0 == "price" ? "777" : $0.1) }
            #expect(try await manager.post("/admin/petals/products/\(product.id)", fields).status == 303)

            let all = try await owner.get("/admin/petals/audit")
            #expect(all.status == 200 && all.body.contains("The log is intact"))
            #expect(all.body.contains("order.cancel") && all.body.contains("catalog.update"))
            let mila = try await server.database.scalar("SELECT id FROM staff WHERE email = 'mila@shop.example'")
            let byMila = try await owner.get("/admin/petals/audit?person=\(mila)&action=catalog")
            #expect(byMila.body.contains("<td>catalog.update</td>") && !byMila.body.contains("<td>order.cancel</td>"))
            #expect(byMila.body.contains("77700 RUB"))
            let history = try await manager.get("/admin/petals/products/\(product.id)")
            #expect(history.body.contains("price: \(product.price.minorUnits) RUB → 77700 RUB"))
            let story = try await manager.get("/admin/petals/orders/\(number)")
            #expect(story.body.contains("status: new → cancelled") && story.body.contains("Wrong address"))
            #expect(try await owner.get("/admin/petals/audit?from=yesterday").status == 400)
            #expect(try await manager.get("/admin/petals/audit").status == 403)
        }
    }
}
