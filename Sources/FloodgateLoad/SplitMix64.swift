/// A fast pseudo-random generator (SplitMix64) for the mix's dice.
///
/// The standard library's generator asks the kernel for every number (`getrandom`): at 20× the generator
/// rolls ~130,000 dice a second, and `perf` put about a fifth of its CPU in that system call — a core taken
/// from the shop it measures. The dice need no secrecy, only an even spread.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// Seeded once from the system's generator, so every run rolls differently.
    init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
