/// One thing a member of staff may do in a store. Back-office route groups each require one
/// (the README's table lists which role has which).
public enum Permission: String, Hashable, Sendable, CaseIterable {
    /// The day's tours and counts: every member of the store.
    case seeDay = "see-day"
    /// Orders with customers' details, assembly sheets, waiting lists.
    case viewOrders = "view-orders"
    /// Orders from *new* up to *ready*.
    case assembleOrders = "assemble-orders"
    /// Courier manifests, and orders from *ready* to *delivered*.
    case deliverOrders = "deliver-orders"
    /// Any step of an order, cancellation included.
    case manageOrders = "manage-orders"
    /// The orders' CSV export (every customer's details at once).
    case exportOrders = "export-orders"
    /// Products, prices, availability, photos, the catalog's CSV.
    case editCatalog = "edit-catalog"
    /// Tours, capacities, zones, weekly templates.
    case editDelivery = "edit-delivery"
    /// Scheduled tasks and jobs.
    case runTasks = "run-tasks"
    /// Staff accounts, their access and sessions.
    case manageStaff = "manage-staff"
    /// The audit log.
    case readAudit = "read-audit"
}

extension OrderStatus {
    /// Whether someone with `permissions` may take the order from this status to `target` (the workflow allowing
    /// it too): florists up to *ready*, couriers from *ready* on, managers and owners any step and cancellation.
    public func allows(_ target: OrderStatus, with permissions: Set<Permission>) -> Bool {
        guard self.allows(target) else { return false }
        if permissions.contains(.manageOrders) { return true }
        switch target {
        case .confirmed, .assembling, .ready: return permissions.contains(.assembleOrders)
        case .outForDelivery, .delivered: return permissions.contains(.deliverOrders)
        case .new, .cancelled: return false
        }
    }
}
