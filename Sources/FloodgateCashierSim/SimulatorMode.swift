/// How badly the simulated cash register behaves; switchable while it runs (`POST /_sim/mode`).
public struct SimulatorMode: Codable, Sendable, Equatable {
    /// Share of register calls answered 500 before doing anything (0…1).
    public var failRate: Double
    /// Share of `sell` calls that register the receipt and then answer 500, as if the answer was lost.
    public var lostAnswerRate: Double
    /// Added to every register call.
    public var delayMs: Int
    /// Answer nothing for two minutes: callers time out.
    public var hang: Bool
    /// Answer every register call 503.
    public var down: Bool

    public init(
        failRate: Double = 0, lostAnswerRate: Double = 0, delayMs: Int = 0, hang: Bool = false, down: Bool = false
    ) {
        self.failRate = failRate
        self.lostAnswerRate = lostAnswerRate
        self.delayMs = delayMs
        self.hang = hang
        self.down = down
    }

    /// Fields absent from a runtime switch keep their value.
    public struct Patch: Codable, Sendable {
        public var failRate: Double?
        public var lostAnswerRate: Double?
        public var delayMs: Int?
        public var hang: Bool?
        public var down: Bool?
    }

    public func applying(_ patch: Patch) -> SimulatorMode {
        SimulatorMode(
            failRate: patch.failRate ?? self.failRate, lostAnswerRate: patch.lostAnswerRate ?? self.lostAnswerRate,
            delayMs: patch.delayMs ?? self.delayMs, hang: patch.hang ?? self.hang, down: patch.down ?? self.down
        )
    }
}
