/// A member of staff's access to one store: a role, a contractor's areas, and when it ends by itself.
public struct StaffGrant: Hashable, Sendable {
    public var storeID: Int
    public var role: StaffRole
    /// Only for contractors: what they may touch.
    public var areas: Set<ContractorArea>
    /// Milliseconds since 1970 (UTC) after which the grant no longer counts; nil: until revoked.
    public var until: Int64?

    public init(storeID: Int, role: StaffRole, areas: Set<ContractorArea> = [], until: Int64? = nil) {
        self.storeID = storeID
        self.role = role
        self.areas = role == .contractor ? areas : []
        self.until = until
    }

    public var permissions: Set<Permission> { self.role.permissions(areas: self.areas) }

    public func isLive(at now: Int64) -> Bool { self.until.map { now < $0 } ?? true }

    /// How the grant reads in lists: `contractor (catalog,tasks)`.
    public var label: String {
        self.role == .contractor ? "contractor (\(ContractorArea.list(self.areas)))" : self.role.rawValue
    }
}
