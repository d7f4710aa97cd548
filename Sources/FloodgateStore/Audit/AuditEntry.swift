import FloodgateCore

/// One thing that changed the shop, as the audit log records it: a stable action name, the object, and what
/// changed (before → after).
public struct AuditEntry: Hashable, Sendable {
    public var action: String
    /// `product`, `order`, `tour`, `staff`, `task`…; "" when the action has no object (the shop's start).
    public var objectType: String
    public var objectID: String
    public var storeID: Int?
    public var details: [String: AuditChange]

    public init(
        _ action: String, object objectType: String = "", id objectID: String = "", storeID: Int? = nil,
        details: [String: AuditChange] = [:]
    ) {
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.storeID = storeID
        self.details = details
    }

    /// Only what changed between two descriptions of an object: `price: 1200 → 1500`.
    public static func changes(before: [String: String], after: [String: String]) -> [String: AuditChange] {
        var changes: [String: AuditChange] = [:]
        for key in Set(before.keys).union(after.keys) where before[key] != after[key] {
            changes[key] = AuditChange(before: before[key], after: after[key])
        }
        return changes
    }
}

/// A value before and after a change; a fact that is not a change has only `after`.
public struct AuditChange: Hashable, Sendable, Codable {
    public var before: String?
    public var after: String?

    public init(before: String? = nil, after: String?) {
        self.before = before
        self.after = after
    }
}

/// An entry as stored: numbered, dated, attributed, and chained.
public struct AuditRecord: Hashable, Sendable {
    public var id: Int64
    public var at: Int64
    public var actor: Actor
    public var entry: AuditEntry
    /// The details as stored (JSON, keys sorted): the text the hash covers.
    public var detailsText: String
    public var previousHash: String
    public var hash: String
}
