import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// `floodgate-load`: the overload benchmark's load generator. Prints one JSON line per class and one total.
@main
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floodgate-load",
        abstract:
            "Offers a shop's busy-day mix (80 % browse, 15 % cart, 5 % checkout, plus crawlers) at a fixed rate, over loopback."
    )

    @Option(help: "The shop, 127.0.0.1 only.") var port: Int
    @Option(help: "Human requests per second offered (open loop).") var rate: Double = 0
    @Option(help: "Crawler requests on top, as a percentage of --rate.") var botPercent: Double = 10
    @Option(help: "Closed loop instead: this many connections, each sending as soon as answered.") var closed: Int = 0
    @Option(help: "Seconds of load.") var duration: Int = 10
    @Option(
        help:
            "Most connections the generator opens, like a proxy's pool in front of the shop; arrivals finding all busy are not offered."
    )
    var maxConnections: Int = 1_024
    @Option(help: "Comma-separated product ids.") var products: String
    @Option(help: "Comma-separated delivery window ids.") var windows: String
    @Option(help: "The store's slug.") var store: String = "petals"
    @Option(help: "A label copied into every line.") var label: String = ""

    func run() async throws {
        guard self.rate > 0 || self.closed > 0 else { throw ValidationError("Give --rate or --closed.") }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let mix = RequestMix(
            host: "127.0.0.1:\(self.port)", store: self.store, products: Self.ids(self.products),
            windows: Self.ids(self.windows)
        )
        let generator = Generator(
            loop: group.next(), host: "127.0.0.1", port: self.port, mix: mix,
            humanRate: self.closed > 0 ? 0 : self.rate,
            botRate: self.closed > 0 ? 0 : self.rate * self.botPercent / 100,
            maxConnections: self.closed > 0 ? self.closed : self.maxConnections
        )
        let tally = try await generator.run(duration: .seconds(Int64(self.duration)), closed: self.closed).get()
        try await group.shutdownGracefully()
        self.report(tally)
    }

    private func report(_ tally: Tally) {
        let seconds = Double(self.duration)
        var total: [String: Any] = [
            "bench": "overload_total", "label": self.label, "offered_rate": self.rate, "closed": self.closed,
        ]
        var good = 0, shed = 0, errors = 0, unanswered = 0, offered = 0, notOffered = 0
        for loadClass in LoadClass.allCases {
            let counts = tally.classes[loadClass.rawValue]
            let missing = counts.offered - counts.good - counts.shed - counts.errors - counts.notOffered
            let answered = counts.good + counts.shed + counts.errors
            let line: [String: Any] = [
                "bench": "overload", "label": self.label, "class": loadClass.description, "offered_rate": self.rate,
                "closed": self.closed,
                "offered": counts.offered, "good": counts.good,
                "goodput_per_s": (Double(counts.good) / seconds).rounded(),
                "shed": counts.shed, "errors": counts.errors, "unanswered": missing, "not_offered": counts.notOffered,
                "success_ratio": answered == 0
                    ? 1
                    : (Double(counts.good) / Double(counts.offered - counts.notOffered) * 10_000).rounded() / 10_000,
                "p50_ms": Double(counts.latency.valueAtPercentile(50)) / 1_000,
                "p99_ms": Double(counts.latency.valueAtPercentile(99)) / 1_000,
                "statuses": Dictionary(uniqueKeysWithValues: counts.statuses.map { ("\($0.key)", $0.value) }),
            ]
            Self.print(line)
            good += counts.good
            shed += counts.shed
            errors += counts.errors
            unanswered += missing
            offered += counts.offered
            notOffered += counts.notOffered
        }
        total["offered"] = offered
        total["achieved_offered_per_s"] = (Double(offered - notOffered) / seconds).rounded()
        total["goodput_per_s"] = (Double(good) / seconds).rounded()
        total["shed"] = shed
        total["errors"] = errors
        total["unanswered"] = unanswered
        total["not_offered"] = notOffered
        total["orders_acknowledged"] = tally.acknowledgedOrders
        if tally.tickLateness.totalCount > 0 {
            total["generator_late_p50_ms"] = Double(tally.tickLateness.valueAtPercentile(50)) / 1_000
            total["generator_late_p99_ms"] = Double(tally.tickLateness.valueAtPercentile(99)) / 1_000
        }
        Self.print(total)
    }

    private static func print(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        Swift.print(String(decoding: data, as: UTF8.self))
    }

    private static func ids(_ text: String) -> [Int] {
        text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}
