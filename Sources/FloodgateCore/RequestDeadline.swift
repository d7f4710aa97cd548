/// The moment by which a visitor's request must have its answer.
///
/// Set by the web server as a request is admitted (a checkout may take longer than a page view) and read
/// by the database layer: a request that would start a query, or keep waiting for a pooled connection,
/// past its deadline is shed with ``DeadlineExceeded`` instead of queueing forever. A transaction that has
/// started is never cut short by it.
public enum RequestDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// Throws when the current request's deadline has passed.
    public static func check() throws {
        if let deadline = Self.current, deadline <= .now { throw DeadlineExceeded() }
    }
}

/// A request ran out of time before the work it waited for could start; nothing was written.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public init() {}

    public var description: String { "The request's deadline passed before the database could take it." }
}
