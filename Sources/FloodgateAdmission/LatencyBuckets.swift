import Foundation

/// Latencies counted in buckets a sixteenth of a power of two wide (about 4.4 %), from 1 µs to over four
/// minutes: constant memory, cheap to record under the gate's lock, and two of them subtract, so a reader can
/// take the percentiles of any interval from two snapshots.
///
/// A percentile is reported as the upper edge of its bucket, so it is never below the true value and at most
/// 4.4 % above it. (Buckets a quarter of a power of two wide, as before, reported anything between 220 and
/// 262 ms as 262: too coarse to tell a 250 ms goal met from missed.) The JSON carries `bucketsPerOctave`, so
/// a reader outside the shop (`bench/overload.sh`) computes the same edges.
public struct LatencyBuckets: Sendable, Equatable, Encodable {
    public private(set) var counts: [Int]

    /// Buckets per doubling of the latency.
    static let perOctave = 16
    /// 28 doublings from 1 µs: 268 s.
    static let bucketCount = 28 * perOctave

    public init() {
        self.counts = Array(repeating: 0, count: Self.bucketCount)
    }

    public var total: Int { self.counts.reduce(0, +) }

    public mutating func record(seconds: Double) {
        let micros = max(1, seconds * 1_000_000)
        self.counts[min(Self.bucketCount - 1, Int((log2(micros) * Double(Self.perOctave)).rounded(.down)))] += 1
    }

    /// The upper edge of the bucket holding the `percentile`th value, in milliseconds (nil when empty).
    public func percentile(_ percentile: Double) -> Double? {
        let total = self.total
        guard total > 0 else { return nil }
        let rank = Int((Double(total) * percentile / 100).rounded(.up))
        var seen = 0
        for (index, count) in self.counts.enumerated() {
            seen += count
            if seen >= max(1, rank) { return Self.upperEdgeMilliseconds(index) }
        }
        return nil
    }

    /// The upper edge of bucket `index` in milliseconds, to a hundredth.
    static func upperEdgeMilliseconds(_ index: Int) -> Double {
        (pow(2, Double(index + 1) / Double(Self.perOctave)) / 1_000 * 100).rounded() / 100
    }

    private enum CodingKeys: String, CodingKey {
        case counts, bucketsPerOctave
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.counts, forKey: .counts)
        try container.encode(Self.perOctave, forKey: .bucketsPerOctave)
    }
}
