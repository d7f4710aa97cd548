import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird

/// `/admin/{store}/staff`: an owner adds people to their store, changes their role and its end, removes them, sets a
/// new password, resets their authenticator app, and sees and ends live sessions. Every change is recorded in the
/// audit log by the repository, in its transaction.
///
/// An owner acts on their own store: changing or removing access here touches only this store's grant. Disabling an
/// account, setting its password or resetting its app reaches every store the person works in, so it is open only
/// when the owner owns all of them. Nobody changes or removes their own access here (no owner locks the last owner
/// out by a slip); the CLI on the server can.
struct StaffBackOfficeController: Sendable {
    let shell: BackOfficeShell
    let staff: any StaffRepository
    let policy: SessionPolicy

    func addRoutes(to store: StoreGroups) {
        let owners = store.requiring(.manageStaff)
        owners.get("staff", use: self.page)
        owners.post("staff", use: self.add)
        owners.post("staff/:person/grant", use: self.grant)
        owners.post("staff/:person/revoke", use: self.revoke)
        owners.post("staff/:person/disable", use: self.disable)
        owners.post("staff/:person/enable", use: self.enable)
        owners.post("staff/:person/password", use: self.password)
        owners.post("staff/:person/second-factor/reset", use: self.resetSecondFactor)
        owners.post("sessions/:handle/end", use: self.endSession)
    }

    @Sendable func page(_ request: Request, context: StaffRequestContext) async throws -> Response {
        try await self.render(request, context: context)
    }

    @Sendable func add(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let form = try await BackOfficeForm.read(request, context: context)
        let email = StaffMember.normalise(email: form["email"] ?? "")
        let name = (form["name"] ?? "").trimmingSpaces
        var errors: [String] = []
        if !EmailAddress.isValid(email) { errors.append("Give the person's email address.") }
        let grant = Self.grant(form, store: store, errors: &errors)
        let existing = EmailAddress.isValid(email) ? try await self.staff.account(email: email) : nil
        var hash: String?
        if existing == nil {
            if name.isEmpty || name.count > 100 { errors.append("Give their name (at most 100 characters).") }
            if let problem = PasswordPolicy.problem(with: form["password"] ?? "", email: email) {
                errors.append(problem)
            } else if errors.isEmpty {
                hash = try await PasswordHasher.hash(form["password"] ?? "")
            }
        } else if existing?.grants.contains(where: { $0.storeID == store.id }) == true {
            errors.append("\(email) already works in this store: change their role in the list.")
        } else if let existing, existing.grants.isEmpty || !Self.ownsAll(existing, context) {
            // Someone else's account (or one nobody holds now): attaching it here would hand this store to whoever
            // holds its password. The server's operator can, with `floodgate staff grant`.
            errors.append(
                "There is already an account for \(email). Ask the shop's operator to give it access here "
                    + "(floodgate staff grant), or use another email.")
        }
        guard errors.isEmpty, let grant else {
            var draft = ["email": email, "name": name, "role": form["role"] ?? "", "until": form["until"] ?? ""]
            for area in ContractorArea.allCases where form[area.rawValue] != nil { draft[area.rawValue] = "on" }
            return try await self.render(request, context: context, draft: draft, errors: errors)
        }
        if let existing {
            try await self.staff.grant(staffID: existing.member.id, grant, by: context.actor)
        } else if let hash {
            _ = try await self.staff.add(email: email, name: name, passwordHash: hash, grant: grant, by: context.actor)
        }
        return BackOfficeShell.redirect("/admin/\(store.slug)/staff", done: .staffAdded)
    }

    @Sendable func grant(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let (store, person) = try await self.person(context, request)
        let form = try await BackOfficeForm.read(request, context: context)
        var errors: [String] = []
        guard let grant = Self.grant(form, store: store, errors: &errors), errors.isEmpty else {
            return try await self.render(request, context: context, errors: errors)
        }
        try await self.staff.grant(staffID: person.member.id, grant, by: context.actor)
        return BackOfficeShell.redirect("/admin/\(store.slug)/staff", done: .accessChanged)
    }

    @Sendable func revoke(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let (store, person) = try await self.person(context, request)
        _ = try await BackOfficeForm.read(request, context: context)
        try await self.staff.revoke(staffID: person.member.id, storeID: store.id, by: context.actor)
        return BackOfficeShell.redirect("/admin/\(store.slug)/staff", done: .accessRevoked)
    }

    @Sendable func disable(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let (store, person) = try await self.wholePerson(context, request)
        try await self.staff.setDisabled(staffID: person.member.id, true, by: context.actor)
        return BackOfficeShell.redirect("/admin/\(store.slug)/staff", done: .accountDisabled)
    }

    @Sendable func enable(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let (store, person) = try await self.wholePerson(context, request)
        try await self.staff.setDisabled(staffID: person.member.id, false, by: context.actor)
        return BackOfficeShell.redirect("/admin/\(store.slug)/staff", done: .accountEnabled)
    }

    @Sendable func password(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let (store, person) = try await self.person(context, request)
        let form = try await BackOfficeForm.read(request, context: context)
        try self.requireOwnsAll(person, context)
        let password = form["password"] ?? ""
        if let problem = PasswordPolicy.problem(with: password, email: person.member.email) {
            return try await self.render(request, context: context, errors: ["\(person.member.name): \(problem)"])
        }
        let hash = try await PasswordHasher.hash(password)
        try await self.staff.setPassword(staffID: person.member.id, passwordHash: hash, by: context.actor)
        return BackOfficeShell.redirect("/admin/\(store.slug)/staff", done: .passwordSet)
    }

    @Sendable func resetSecondFactor(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let (store, person) = try await self.wholePerson(context, request)
        try await self.staff.resetSecondFactor(staffID: person.member.id, by: context.actor)
        return BackOfficeShell.redirect("/admin/\(store.slug)/staff", done: .secondFactorReset)
    }

    @Sendable func endSession(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        _ = try await BackOfficeForm.read(request, context: context)
        let handle = context.parameters.get("handle") ?? ""
        let members = Set(try await self.members(of: store).map(\.member.id))
        // Only the sessions of this store's people: an owner of one store cannot sign out another's staff.
        guard
            try await self.staff.sessions(staffID: nil, policy: self.policy)
                .contains(where: { $0.handle == handle && members.contains($0.staff.id) }),
            try await self.staff.endSession(handle: handle, by: context.actor)
        else { throw Problem.notFound("There is no such session of this store's staff.") }
        return BackOfficeShell.redirect("/admin/\(store.slug)/staff", done: .sessionEnded)
    }

    // MARK: - Helpers

    private func render(
        _ request: Request, context: StaffRequestContext, draft: [String: String] = [:], errors: [String] = []
    ) async throws -> Response {
        let store = try context.requireStore()
        let accounts = try await self.members(of: store)
        let ids = Set(accounts.map(\.member.id))
        let sessions = try await self.staff.sessions(staffID: nil, policy: self.policy).filter {
            ids.contains($0.staff.id)
        }
        let page = StaffPage(
            chrome: try await self.shell.chrome("Staff", context, store: store, request: request), store: store,
            me: context.session.staff.id, accounts: accounts, sessions: sessions, draft: draft, errors: errors)
        return self.shell.render(page, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    private func members(of store: Store) async throws -> [StaffAccount] {
        try await self.staff.all().filter { $0.grants.contains { $0.storeID == store.id } }
    }

    /// The person the path names: one who works in this store, and not the owner themselves.
    private func person(_ context: StaffRequestContext, _ request: Request) async throws -> (Store, StaffAccount) {
        let store = try context.requireStore()
        guard let id = context.parameters.get("person").flatMap(Int.init),
            let person = try await self.members(of: store).first(where: { $0.member.id == id })
        else { throw Problem.notFound("Nobody with that number works in this store.") }
        guard id != context.session.staff.id else {
            throw Problem(
                "forbidden", status: .forbidden, title: "Not your own access",
                detail: "Nobody changes their own access here; ask another owner, or use the server's command line.")
        }
        return (store, person)
    }

    /// ``person(_:_:)`` for changes that reach every store they work in: the form read, and all of them owned.
    private func wholePerson(
        _ context: StaffRequestContext, _ request: Request
    ) async throws -> (Store, StaffAccount) {
        let (store, person) = try await self.person(context, request)
        _ = try await BackOfficeForm.read(request, context: context)
        try self.requireOwnsAll(person, context)
        return (store, person)
    }

    /// Whether every store the person works in is one the signed-in owner owns.
    static func ownsAll(_ person: StaffAccount, _ context: StaffRequestContext) -> Bool {
        let owned = Set(context.session.grants.filter { $0.role == .owner }.map(\.storeID))
        return person.grants.allSatisfy { owned.contains($0.storeID) }
    }

    private func requireOwnsAll(_ person: StaffAccount, _ context: StaffRequestContext) throws {
        guard Self.ownsAll(person, context) else {
            throw Problem(
                "forbidden", status: .forbidden, title: "They work in other stores too",
                detail: "Their account reaches stores you do not own: remove them from this store instead.")
        }
    }

    /// The grant a form describes (`role`, a contractor's area boxes, `until` as a date in the store's time).
    static func grant(_ form: FormBody, store: Store, errors: inout [String]) -> StaffGrant? {
        guard let role = form["role"].flatMap(StaffRole.init(rawValue:)) else {
            errors.append("Choose a role.")
            return nil
        }
        let areas = Set(ContractorArea.allCases.filter { form[$0.rawValue] != nil })
        if role == .contractor, areas.isEmpty { errors.append("Tick what the contractor may touch.") }
        var until: Int64?
        if let text = form["until"], !text.trimmingSpaces.isEmpty {
            until = AccessEnd.millis(from: text, in: TimeZone(identifier: store.timeZone) ?? .gmt)
            if until == nil { errors.append("Give the end of access as a date like 2026-02-20.") }
            if let end = until, end <= WallClock.nowMillis { errors.append("The end of access is in the past.") }
        }
        return StaffGrant(storeID: store.id, role: role, areas: areas, until: until)
    }
}
