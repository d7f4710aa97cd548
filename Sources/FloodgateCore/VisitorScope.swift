/// Marks work done on behalf of a visitor's HTTP request.
///
/// Set by the web server around every request. Deferred work checks it: a job never runs inside a
/// visitor's request — the failure that took the founding story's shop down on Valentine's Day.
public enum VisitorScope {
    /// The path of the request being served, when there is one.
    @TaskLocal public static var current: String?
}
