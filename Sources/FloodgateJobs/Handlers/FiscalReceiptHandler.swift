import FloodgateCore
import FloodgateIntegrations
import FloodgateStore
import Foundation
import Logging

/// Registers an order's sell receipt at the online cash register.
///
/// Idempotent twice over: a receipt already recorded is not sent again, and the external id is derived
/// from the order, so a retry after a crash between `sell` and our record finds the first receipt at
/// the register instead of making a second one. Printing finishes later; the `reconcile-receipts` task
/// polls receipts still waiting.
public struct FiscalReceiptHandler: JobHandler {
    public var kind: String { JobKind.fiscalReceipt }
    public var integration: String? { "cashier" }
    let orders: any OrderRepository
    let stores: any StoreRepository
    let receipts: any ReceiptRepository
    let cashier: CashierClient
    let publicURL: String

    public init(
        orders: any OrderRepository, stores: any StoreRepository, receipts: any ReceiptRepository,
        cashier: CashierClient, publicURL: String
    ) {
        self.orders = orders
        self.stores = stores
        self.receipts = receipts
        self.cashier = cashier
        self.publicURL = publicURL
    }

    public func run(_ job: Job, logger: Logger) async throws {
        let orderID = try OrderJobSubject.orderID(of: job)
        if try await self.receipts.receipt(orderID: orderID) != nil { return }
        let (order, store) = try await OrderJobSubject.load(orderID: orderID, orders: self.orders, stores: self.stores)
        let request = Self.sellRequest(
            order: order, store: store, settings: self.cashier.settings, paymentAddress: self.publicURL)
        let report: CashierProtocol.Report
        do {
            report = try await self.cashier.sell(request)
        } catch CashierError.rejected(let status, let reason) {
            throw FiscalJobError.rejected("\(status): \(reason)")
        }
        if report.status == "fail" {
            throw FiscalJobError.rejected(report.error?.text ?? "the register failed the receipt")
        }
        try await self.receipts.recordRegistered(
            ReceiptRecord(
                orderID: orderID, externalID: request.externalId, cashierUUID: report.uuid, status: report.status,
                fiscalData: try report.payload.map(CashierProtocol.json), error: nil
            )
        )
        logger.info(
            "receipt registered",
            metadata: ["order": "\(order.number)", "uuid": "\(report.uuid)", "status": "\(report.status)"])
    }

    /// The sell receipt for an order: every line at its snapshot price and the delivery fee, paid electronically in full.
    static func sellRequest(
        order: Order, store: Store, settings: CashierSettings, paymentAddress: String
    ) -> CashierProtocol.SellRequest {
        var items = order.lines.map { line in
            CashierProtocol.Item(
                name: line.name, price: Self.major(line.unitPrice), quantity: Decimal(line.quantity),
                sum: Self.major(line.lineTotal),
                vat: settings.vat
            )
        }
        if order.deliveryFee > 0 {
            let fee = Self.major(order.deliveryFee)
            items.append(CashierProtocol.Item(name: "Delivery", price: fee, quantity: 1, sum: fee, vat: settings.vat))
        }
        let total = Self.major(order.total.minorUnits)
        return CashierProtocol.SellRequest(
            externalId: JobKind.receiptExternalID(orderNumber: order.number),
            timestamp: CashierProtocol.timestamp(Date(timeIntervalSince1970: Double(order.createdAt) / 1_000)),
            receipt: CashierProtocol.Receipt(
                client: CashierProtocol.Client(
                    email: order.customer.email.isEmpty ? nil : order.customer.email,
                    phone: order.customer.phone.isEmpty ? nil : order.customer.phone
                ),
                company: CashierProtocol.Company(
                    email: store.notifyEmail, sno: settings.sno, inn: settings.inn, paymentAddress: paymentAddress),
                items: items, payments: [CashierProtocol.Payment(type: 1, sum: total)], total: total
            )
        )
    }

    /// Roubles from kopecks, exactly.
    static func major(_ minorUnits: Int) -> Decimal { Decimal(minorUnits) / 100 }
}

/// The register refused the receipt: the data is wrong, not the register down.
public enum FiscalJobError: PermanentJobFailure, CustomStringConvertible {
    case rejected(String)

    public var description: String {
        switch self {
        case .rejected(let reason): "The cash register refused the receipt: \(reason)"
        }
    }
}
