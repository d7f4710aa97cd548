import ArgumentParser
import FloodgateCashierSim
import Hummingbird
import Logging

/// `floodgate cashier-sim`: a local online cash register for tests, demos and outage drills.
struct CashierSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cashier-sim",
        abstract: "Run a simulated ATOL-Online-style cash register on 127.0.0.1.",
        discussion: """
            Point the shop at it with --cashier-url http://127.0.0.1:PORT. GET /receipts lists what it registered;
            GET/POST /_sim/mode reads or switches the failure modes while it runs, e.g.
            curl -d '{"down":true}' http://127.0.0.1:PORT/_sim/mode
            """
    )

    @Option(name: .long, help: "Port to listen on.") var port: Int
    @Option(name: .long, help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "Share of calls answered 500 (0 to 1).") var failRate = 0.0
    @Option(name: .long, help: "Share of sells registered and then answered 500, as if the answer was lost.")
    var lostAnswerRate = 0.0
    @Option(name: .long, help: "Delay added to every call, in milliseconds.") var delayMs = 0
    @Flag(name: .long, help: "Answer nothing (callers time out).") var hang = false
    @Flag(name: .long, help: "Answer every call 503.") var down = false
    @Option(name: .long, help: "Milliseconds until a registered receipt is printed (status done).") var processMs = 200
    @Option(name: .long, help: "Login the register accepts.") var login = "floodgate"
    @Option(name: .long, help: "Password the register accepts.") var password = "floodgate"

    func validate() throws {
        guard (0...1).contains(self.failRate), (0...1).contains(self.lostAnswerRate) else {
            throw ValidationError("Rates are between 0 and 1.")
        }
        guard self.delayMs >= 0, self.processMs >= 0 else { throw ValidationError("Delays cannot be negative.") }
    }

    func run() async throws {
        let mode = SimulatorMode(
            failRate: self.failRate, lostAnswerRate: self.lostAnswerRate, delayMs: self.delayMs, hang: self.hang,
            down: self.down)
        let app = CashierSimulator.buildApplication(
            host: self.host, port: self.port, mode: mode, processing: .milliseconds(self.processMs), login: self.login,
            password: self.password
        )
        try await app.runService()
    }
}
