import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird

/// `/admin/{store}/audit`: owners read who changed what in their store (and the sign-ins and accounts of its
/// people), filtered by person, action, object and dates, with the chain's verdict on top.
struct AuditBackOfficeController: Sendable {
    let shell: BackOfficeShell
    let audit: any AuditLog
    let staff: any StaffRepository

    func addRoutes(to store: StoreGroups) {
        store.requiring(.readAudit).get("audit", use: self.page)
    }

    @Sendable func page(_ request: Request, context: StaffRequestContext) async throws -> Response {
        let store = try context.requireStore()
        let query = FormBody(encoded: request.uri.query ?? "")
        let people = try await self.staff.all().filter { $0.grants.contains { $0.storeID == store.id } }
        var filter = AuditFilter(storeID: store.id, staffIDs: people.map(\.member.id), limit: 100)
        var errors: [String] = []
        let zone = TimeZone(identifier: store.timeZone) ?? .gmt
        if let person = query["person"], !person.isEmpty {
            if let id = Int(person), people.contains(where: { $0.member.id == id }) {
                filter.actorID = id
            } else {
                errors.append("Choose a person from the list.")
            }
        }
        filter.action = query["action"].map { String($0.trimmingSpaces.prefix(60)) }
        if let object = query["object"], !object.trimmingSpaces.isEmpty {
            let parts = object.trimmingSpaces.split(separator: ":", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                (filter.objectType, filter.objectID) = (String(parts[0].prefix(20)), String(parts[1].prefix(40)))
            } else {
                errors.append("Give the object as type:number, like product:12 or order:40.")
            }
        }
        for (key, bound) in [("from", 0), ("to", 1)] {
            guard let text = query[key], !text.isEmpty else { continue }
            guard let date = CivilDate(text) else {
                errors.append("Dates look like 2026-02-14.")
                continue
            }
            // `to` takes the whole day it names.
            let millis = AccessEnd.millis(date.adding(days: bound), hour: 0, minute: 0, in: zone)
            if bound == 0 { filter.from = millis } else { filter.to = millis }
        }
        filter.before = query["before"].flatMap { Int64($0) }
        let records = errors.isEmpty ? try await self.audit.entries(filter) : []
        var nextURL: String?
        if records.count == filter.limit, let last = records.last {
            var items = URLComponents(string: "/admin/\(store.slug)/audit")
            items?.queryItems =
                ["person", "action", "object", "from", "to"].compactMap { key in
                    query[key].map { URLQueryItem(name: key, value: $0) }
                } + [URLQueryItem(name: "before", value: String(last.id))]
            nextURL = items?.string
        }
        let verdict: String
        let intact: Bool
        switch try await self.audit.verify(expecting: nil) {
        case .intact(let entries, let head, let hash):
            (verdict, intact) = (
                "The log is intact: \(entries) entries chained; head \(head):\(hash.prefix(16))….", true
            )
        case .broken(let id, let reason):
            (verdict, intact) = ("The log is BROKEN at entry \(id): \(reason). Compare it with a backup.", false)
        }
        var fields: [String: String] = [:]
        for key in ["action", "object", "from", "to"] { fields[key] = query[key] }
        let page = AuditPage(
            chrome: try await self.shell.chrome("Audit log", context, store: store, request: request),
            rows: AuditRow.rows(records, store: store),
            people: people.map {
                AuditPage.Person(id: $0.member.id, name: $0.member.name, selected: filter.actorID == $0.member.id)
            },
            query: fields, nextURL: nextURL, verdict: verdict, intact: intact, errors: errors)
        return self.shell.render(page, status: errors.isEmpty ? .ok : .badRequest)
    }
}
