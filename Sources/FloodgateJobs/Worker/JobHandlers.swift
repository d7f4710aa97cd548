import FloodgateIntegrations
import FloodgateStore

/// The handlers this version of floodgate runs jobs with.
///
/// A job of a kind no handler runs fails with a clear error, is retried with back-off and ends as dead,
/// visible to the operator (`floodgate jobs dead`).
public enum JobHandlers {
    public static func all(database: Database, mailer: any Mailer, publicURL: String) -> [any JobHandler] {
        OrderEmailHandler.all(
            orders: SQLOrderRepository(database: database), stores: SQLStoreRepository(database: database), mailer: mailer, publicURL: publicURL
        )
    }
}
