import FloodgateCore
import FloodgateStore
import Foundation

/// `/admin/{store}/staff`: who works in this store, with what role and until when; their live sessions; adding a
/// person. Owners only.
struct StaffPage: PageModel {
    static let template = "admin-staff"

    struct Person {
        var id: Int
        var name: String
        var email: String
        var role: String
        var until: String?
        var secondFactor: Bool
        var disabled: Bool
        var isMe: Bool
        var roleOptions: [Option]
        var areaOptions: [Option]
        var untilValue: String
        var base: String
    }

    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Session {
        var handle: String
        var name: String
        var address: String
        var userAgent: String
        var lastSeen: String
        var endAction: String
    }

    var chrome: AdminChrome
    var people: [Person]
    var sessions: [Session]
    var addAction: String
    var roleOptions: [Option]
    var areaOptions: [Option]
    var draft: [String: String]
    var errors: [String]

    init(
        chrome: AdminChrome, store: Store, me: Int, accounts: [StaffAccount], sessions: [SessionInfo],
        draft: [String: String] = [:], errors: [String] = []
    ) {
        self.chrome = chrome
        let base = "/admin/\(store.slug)/staff"
        let zone = TimeZone(identifier: store.timeZone) ?? .gmt
        self.people = accounts.compactMap { account in
            guard let grant = account.grants.first(where: { $0.storeID == store.id }) else { return nil }
            return Person(
                id: account.member.id, name: account.member.name, email: account.member.email, role: grant.label,
                until: grant.until.map { AccessEnd.text($0, in: zone) }, secondFactor: account.hasSecondFactor,
                disabled: account.disabled, isMe: account.member.id == me,
                roleOptions: Self.roles(selected: grant.role.rawValue),
                areaOptions: Self.areas(selected: grant.areas.map(\.rawValue)),
                untilValue: grant.until.map { AccessEnd.dateValue($0, in: zone) } ?? "",
                base: "\(base)/\(account.member.id)")
        }
        self.sessions = sessions.map { session in
            Session(
                handle: session.handle, name: session.staff.name, address: session.address,
                userAgent: String(session.userAgent.prefix(80)),
                lastSeen: AdminTime.format(session.lastSeenAt, in: store.timeZone),
                endAction: "/admin/\(store.slug)/sessions/\(session.handle)/end")
        }
        self.addAction = base
        self.roleOptions = Self.roles(selected: draft["role"] ?? "florist")
        self.areaOptions = Self.areas(selected: ContractorArea.allCases.map(\.rawValue).filter { draft[$0] != nil })
        self.draft = draft
        self.errors = errors
    }

    static func roles(selected: String) -> [Option] {
        StaffRole.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == selected) }
    }

    static func areas(selected: [String]) -> [Option] {
        ContractorArea.allCases.map {
            Option(value: $0.rawValue, label: $0.rawValue, selected: selected.contains($0.rawValue))
        }
    }
}
