import FloodgateIntegrations
import FloodgateStore

/// The handlers this version of floodgate runs jobs with.
///
/// A job of a kind no handler here runs (e.g. receipts while no cash register is configured, or a kind
/// from a newer version) stays queued for a worker that can run it, visible in `floodgate jobs stats`.
public enum JobHandlers {
    public static func all(
        database: Database, mailer: any Mailer, cashier: CashierClient?, publicURL: String
    ) -> [any JobHandler] {
        let orders = SQLOrderRepository(database: database)
        let stores = SQLStoreRepository(database: database)
        var handlers: [any JobHandler] = OrderEmailHandler.all(
            orders: orders, stores: stores, mailer: mailer, publicURL: publicURL)
        handlers +=
            WaitlistEmailHandler.all(database: database, mailer: mailer, publicURL: publicURL) as [any JobHandler]
        if let cashier {
            handlers.append(
                FiscalReceiptHandler(
                    orders: orders, stores: stores, receipts: SQLReceiptRepository(database: database),
                    cashier: cashier, publicURL: publicURL)
            )
        }
        return handlers
    }
}
