/// The handlers this version of floodgate runs jobs with.
///
/// Empty until the first integrations (fiscal receipts, email) land; a job of a kind no handler runs
/// fails with a clear error, is retried with back-off and ends as dead, visible to the operator.
public enum JobHandlers {
    public static func all() -> [any JobHandler] {
        []
    }
}
