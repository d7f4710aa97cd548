import Foundation

/// Latencies counted in buckets a quarter of a power of two wide (about 19 %), from 1 µs to over a minute:
/// constant memory, cheap to record under the gate's lock, and two of them subtract, so a reader can take
/// the percentiles of any interval from two snapshots.
public struct LatencyBuckets: Sendable, Equatable, Codable {
    public private(set) var counts: [Int]

    static let bucketCount = 112

    public init() {
        self.counts = Array(repeating: 0, count: Self.bucketCount)
    }

    public var total: Int { self.counts.reduce(0, +) }

    mutating func record(seconds: Double) {
        let micros = max(1, seconds * 1_000_000)
        self.counts[min(Self.bucketCount - 1, Int((log2(micros) * 4).rounded(.down)))] += 1
    }

    /// The upper edge of the bucket holding the `percentile`th value, in milliseconds (nil when empty).
    public func percentile(_ percentile: Double) -> Double? {
        let total = self.total
        guard total > 0 else { return nil }
        let rank = Int((Double(total) * percentile / 100).rounded(.up))
        var seen = 0
        for (index, count) in self.counts.enumerated() {
            seen += count
            if seen >= max(1, rank) { return (pow(2, Double(index + 1) / 4) / 1_000 * 100).rounded() / 100 }
        }
        return nil
    }
}
