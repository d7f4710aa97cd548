import FloodgateIntegrations
import FloodgateStore
import Foundation

/// Every minute: asks the cash register about receipts still waiting to be printed and records the
/// fiscal data (or the failure, for the owner to see).
struct ReconcileReceiptsTask: ScheduledTask {
    let receipts: any ReceiptRepository
    let cashier: CashierClient
    var definition: TaskDefinition {
        TaskDefinition(name: "reconcile-receipts", schedule: "*/15 * * * * *", timeout: .seconds(60), maxQueries: 2_000)
    }

    func run(_ context: TaskContext) async throws {
        var settled = 0
        for receipt in try await self.receipts.waiting(limit: 200) {
            let report = try await self.cashier.report(uuid: receipt.cashierUUID)
            guard report.status != "wait" else { continue }
            let data = try report.payload.map(CashierProtocol.json)
            try await self.receipts.updateStatus(
                orderID: receipt.orderID, status: report.status, fiscalData: data, error: report.error?.text)
            if report.status == "fail" {
                context.logger.error(
                    "receipt failed at the register",
                    metadata: ["external_id": "\(receipt.externalID)", "error": "\(report.error?.text ?? "")"])
            }
            settled += 1
        }
        if settled > 0 { context.logger.info("receipts reconciled", metadata: ["settled": "\(settled)"]) }
    }
}
