import Histogram

/// Answers counted per class: good (2xx/3xx/304, with their latency), shed (503/429), errors (anything
/// else, broken connections), and requests the generator could not offer (all connections busy).
struct Tally {
    struct Counts {
        var offered = 0
        var good = 0
        var shed = 0
        var errors = 0
        var notOffered = 0
        var statuses: [Int: Int] = [:]
        var latency = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
    }

    var classes: [Counts] = LoadClass.allCases.map { _ in Counts() }
    /// Order numbers acknowledged with 201: the benchmark checks each is in the database.
    var acknowledgedOrders = 0
    /// How late the generator's own 1 ms tick ran, in µs: when the generator waits for a core, answers wait
    /// unread in its sockets and every latency above includes that wait.
    var tickLateness = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .two)

    mutating func answered(_ loadClass: LoadClass, status: Int, microseconds: UInt64) {
        self.classes[loadClass.rawValue].statuses[status, default: 0] += 1
        switch status {
        case 200..<400:
            self.classes[loadClass.rawValue].good += 1
            _ = self.classes[loadClass.rawValue].latency.record(microseconds)
            if loadClass == .checkout, status == 201 { self.acknowledgedOrders += 1 }
        case 429, 503: self.classes[loadClass.rawValue].shed += 1
        default: self.classes[loadClass.rawValue].errors += 1
        }
    }

    mutating func failed(_ loadClass: LoadClass) {
        self.classes[loadClass.rawValue].errors += 1
        self.classes[loadClass.rawValue].statuses[0, default: 0] += 1
    }
}
