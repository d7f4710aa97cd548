/// The steps an order goes through in the shop, and who may take them.
extension OrderStatus {
    /// The working order of the statuses, cancelled last.
    public static let workflow: [OrderStatus] = [.new, .confirmed, .assembling, .ready, .outForDelivery, .delivered]

    /// The step after this one (nil once delivered or cancelled).
    public var next: OrderStatus? {
        guard let index = Self.workflow.firstIndex(of: self), index + 1 < Self.workflow.count else { return nil }
        return Self.workflow[index + 1]
    }

    /// Whether the order is finished: nothing more can happen to it.
    public var isFinal: Bool { self == .delivered || self == .cancelled }

    /// Whether staff may move an order from this status to `target`: one step forward, or cancelled
    /// (with a reason) from any status that is not final.
    public func allows(_ target: OrderStatus) -> Bool {
        if target == .cancelled { return !self.isFinal }
        return self.next == target
    }

    /// How the status reads in the back-office and in emails: "out for delivery".
    public var label: String { self.rawValue.replacing("-", with: " ") }
}

/// Why a status change was refused.
public enum StatusChangeError: Error, Hashable, Sendable {
    /// The order is not in a status that can go there (someone else moved it first, or the step is not allowed).
    case notAllowed(from: OrderStatus, to: OrderStatus)
    /// A cancellation needs a reason the shop can tell the customer.
    case reasonRequired
    /// The reason is longer than ``reasonLength`` characters, or holds characters that cannot be printed.
    case reasonInvalid
}

extension StatusChangeError {
    /// The longest reason, in characters; it holds in UTF-8 bytes too, at four a character (one character may
    /// carry any number of combining marks).
    public static let reasonLength = 300

    /// `reason` trimmed, or ``reasonInvalid``: too long, or holding control characters (NUL, which PostgreSQL
    /// cannot store, among them). An empty reason is left to the caller: only a cancellation needs one.
    public static func checked(reason: String) throws(StatusChangeError) -> String {
        let trimmed = reason.trimmingSpaces
        guard trimmed.count <= Self.reasonLength,
            trimmed.utf8.count <= Self.reasonLength * OrderRequest.Limits.bytesPerCharacter,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .reasonInvalid }
        return trimmed
    }
}
