import FloodgateCore

/// An order's fiscal receipt as the shop knows it: registered at the cash register under `externalID`.
public struct ReceiptRecord: Hashable, Sendable, Codable {
    public var orderID: Int
    public var externalID: String
    /// The register's id for the receipt, used to poll its report.
    public var cashierUUID: String
    /// `wait` (registered, not yet printed), `done` or `fail`.
    public var status: String
    /// The register's fiscal data (JSON) once `done`.
    public var fiscalData: String?
    public var error: String?
    public var updatedAt: Int64
}

/// Fiscal receipts: which orders were registered at the cash register, and how each one stands.
public protocol ReceiptRepository: Sendable {
    /// The order's receipt, or nil if it was never registered.
    func receipt(orderID: Int) async throws -> ReceiptRecord?
    /// Records a receipt the register accepted; a second call for the same order keeps the first.
    func recordRegistered(_ receipt: ReceiptRecord) async throws
    /// Records what the register reported for the order's receipt.
    func updateStatus(orderID: Int, status: String, fiscalData: String?, error: String?) async throws
    /// Receipts still waiting for the register's report, oldest first.
    func waiting(limit: Int) async throws -> [ReceiptRecord]
    /// Receipts per status.
    func counts() async throws -> [String: Int]
}
