import FloodgateAdmission
import Synchronization

/// How long answered requests spent in the shop, per ``RequestClass``: from the moment the event loop read
/// the request's head to the moment the answer's end was written back to the connection.
///
/// The gate's own times start at admission; these include everything before it (the wait for Swift's pool,
/// classification, the rate check) and after it (the answer's way back to the event loop). A load generator on
/// the same cores also counts its own waits for a core (`floodgate-load` reports them): this is the shop's side
/// of the same requests. Only answers below 400 are counted, as the generator counts good answers.
final class ShopTimes: Sendable {
    private let buckets = Mutex<[LatencyBuckets]>(RequestClass.allCases.map { _ in LatencyBuckets() })

    func record(_ requestClass: RequestClass, since start: ContinuousClock.Instant, now: ContinuousClock.Instant = .now)
    {
        self.buckets.withLock { $0[requestClass.rawValue].record(seconds: (now - start) / .seconds(1)) }
    }

    /// Per class name, since start.
    var snapshot: [String: LatencyBuckets] {
        let buckets = self.buckets.withLock { $0 }
        return Dictionary(uniqueKeysWithValues: RequestClass.allCases.map { ("\($0)", buckets[$0.rawValue]) })
    }
}
