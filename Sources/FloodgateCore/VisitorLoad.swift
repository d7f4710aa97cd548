import Synchronization

/// How many visitor requests this process is serving right now.
///
/// The web server counts them; a worker in the same process reads the count and steps back while the
/// storefront is busy, so deferred work waits in its queue instead of taking the cores visitors need.
public final class VisitorLoad: Sendable {
    private let inFlight = Atomic<Int>(0)

    public init() {}

    public var current: Int { self.inFlight.load(ordering: .relaxed) }

    public func enter() { self.inFlight.add(1, ordering: .relaxed) }

    public func leave() { self.inFlight.subtract(1, ordering: .relaxed) }
}
