/// A member of staff's role in one store. The same person may be an owner of one store and a florist in another.
public enum StaffRole: String, Hashable, Sendable, Codable, CaseIterable {
    /// Everything, including staff, their access and the audit log.
    case owner
    /// The catalog, tours, capacities, zones and orders (cancellations and exports too); not staff.
    case manager
    /// The day's orders and their assembly sheets; moves an order up to *ready*.
    case florist
    /// The tours' manifests; moves an order from *ready* to *out for delivery* and *delivered*.
    case courier
    /// Only the areas granted (``ContractorArea``), nothing else: no customer's details unless `orders` is granted.
    case contractor

    /// What the role allows; a contractor's areas widen it.
    public func permissions(areas: Set<ContractorArea> = []) -> Set<Permission> {
        switch self {
        case .owner: return Set(Permission.allCases)
        case .manager:
            return [
                .seeDay, .viewOrders, .assembleOrders, .deliverOrders, .manageOrders, .exportOrders, .editCatalog,
                .editDelivery,
            ]
        case .florist: return [.seeDay, .viewOrders, .assembleOrders]
        case .courier: return [.seeDay, .deliverOrders]
        case .contractor: return areas.reduce(into: [.seeDay]) { $0.formUnion($1.permissions) }
        }
    }

    /// Whether the role must sign in with a second factor (TOTP): those who can change the shop's money and staff.
    public var needsSecondFactor: Bool { self == .owner || self == .manager }
}

/// What a contractor may be granted, one area at a time.
public enum ContractorArea: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Products, prices, photos and the catalog's CSV.
    case catalog
    /// Tours, capacities, zones, templates and waiting lists.
    case delivery
    /// Scheduled tasks, jobs and integrations (through a personal API token).
    case tasks
    /// Orders with the customers' names, phones and addresses (read only).
    case orders

    var permissions: Set<Permission> {
        switch self {
        case .catalog: return [.editCatalog]
        case .delivery: return [.editDelivery]
        case .tasks: return [.runTasks]
        case .orders: return [.viewOrders]
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `catalog,tasks` → the areas; nil names an unknown one.
    public static func parse(list: String) -> Set<ContractorArea>? {
        var areas: Set<ContractorArea> = []
        for name in list.split(separator: ",") {
            guard let area = ContractorArea(rawValue: String(name).trimmingSpaces.lowercased()) else { return nil }
            areas.insert(area)
        }
        return areas
    }

    /// The areas as stored and shown: sorted, comma-separated.
    public static func list(_ areas: Set<ContractorArea>) -> String {
        areas.sorted().map(\.rawValue).joined(separator: ",")
    }
}
