import AsyncHTTPClient
import FloodgateCashierSim
import FloodgateTestSupport
import Foundation
import Logging
import ServiceLifecycle

/// The cash register simulator on a loopback port, for as long as `body` runs.
struct CashierPeer: Sendable {
    let url: String

    static func run(
        mode: SimulatorMode = SimulatorMode(), processing: Duration = .milliseconds(100),
        _ body: @Sendable (CashierPeer) async throws -> Void
    ) async throws {
        let port = PortBox()
        var logger = Logger(label: "cashier-sim")
        logger.logLevel = .warning
        let app = CashierSimulator.buildApplication(port: 0, mode: mode, processing: processing, logger: logger) {
            channel in
            port.set(channel.localAddress?.port ?? 0)
        }
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let outcome: Result<Void, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await services.run() }
            let result: Result<Void, any Error>
            do {
                result = .success(try await body(CashierPeer(url: "http://127.0.0.1:\(try await port.wait())")))
            } catch {
                result = .failure(error)
            }
            await services.triggerGracefulShutdown()
            await group.waitForAll()
            return result
        }
        try outcome.get()
    }

    /// `GET /receipts`: what the register holds.
    func receipts() async throws -> [[String: Any]] {
        try await TestResponse.fetch(.shared, .GET, self.url + "/receipts").array
    }

    /// Switches failure modes at runtime, e.g. `{"down": true}`.
    func setMode(_ json: String) async throws {
        let answer = try await TestResponse.fetch(
            .shared, .POST, self.url + "/_sim/mode", headers: [("Content-Type", "application/json")], body: json)
        guard answer.status == 200 else { throw TestSetupError("the simulator refused mode \(json): \(answer.status)") }
    }
}
