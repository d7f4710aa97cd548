import Foundation

/// The wall clock as stored timestamps read it: milliseconds since 1970, UTC. (Not Swift's `Clock`, which
/// measures durations; a stored time must mean the same instant to every process and engine.)
public enum WallClock {
    public static var nowMillis: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
