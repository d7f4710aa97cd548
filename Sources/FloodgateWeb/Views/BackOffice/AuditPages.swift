import FloodgateCore
import FloodgateStore
import Foundation

/// One audit entry as a back-office page shows it.
struct AuditRow {
    var id: Int64
    var when: String
    var who: String
    var via: String
    var from: String
    var action: String
    var object: String
    var objectURL: String?
    var changes: [String]

    /// `showOrigin`: addresses and browsers are for those who read the audit log (owners), not every page's viewer.
    init(_ record: AuditRecord, store: Store, showOrigin: Bool = true) {
        self.id = record.id
        self.when = AdminTime.format(record.at, in: store.timeZone)
        let role = record.actor.role.isEmpty ? "" : " (\(record.actor.role))"
        self.who = record.actor.name + role
        self.via = record.actor.kind.rawValue
        self.from = showOrigin ? record.actor.address : ""
        self.action = record.entry.action
        self.object = record.entry.objectType.isEmpty ? "" : "\(record.entry.objectType) \(record.entry.objectID)"
        let base = "/admin/\(store.slug)"
        switch record.entry.objectType {
        case "product" where record.entry.storeID == store.id:
            self.objectURL = "\(base)/products/\(record.entry.objectID)"
        case "order" where record.entry.storeID == store.id:
            self.objectURL = Int(record.entry.objectID).map { "\(base)/orders/\(store.orderPrefix)\($0)" }
        default:
            self.objectURL = nil
        }
        self.changes = record.entry.details.sorted { $0.key < $1.key }.map { key, change in
            guard let before = change.before else { return "\(key): \(change.after ?? "")" }
            return "\(key): \(before) → \(change.after ?? "(none)")"
        }
    }

    static func rows(_ records: [AuditRecord], store: Store, showOrigin: Bool = true) -> [AuditRow] {
        records.map { AuditRow($0, store: store, showOrigin: showOrigin) }
    }
}

/// `/admin/{store}/audit`: the store's audit log with filters; owners only.
struct AuditPage: PageModel {
    static let template = "admin-audit"

    struct Person {
        var id: Int
        var name: String
        var selected: Bool
    }

    var chrome: AdminChrome
    var rows: [AuditRow]
    var people: [Person]
    var query: [String: String]
    var nextURL: String?
    var verdict: String
    var intact: Bool
    var errors: [String]
}
