import FloodgateAdmission
import Logging
import ServiceLifecycle

/// Logs the gate's state once a second while it is refusing requests, and once when it stops.
///
/// Quiet when all is well: an operator reading the log on the busiest day sees when shedding started, how
/// much of each class was refused, the limit the gate has learnt and the queue — not a line per request.
struct AdmissionReporter: Service {
    let gates: AdmissionGates
    let logger: Logger

    func run() async throws {
        var last = self.gates.stats()
        var shedding = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            let now = self.gates.stats()
            let refused = now.shedTotal - last.shedTotal
            if refused > 0 {
                shedding = true
                var metadata: Logger.Metadata = [
                    "limit": "\(now.limit)", "checkout_in_flight": "\(now.checkoutInFlight ?? 0)",
                    "in_flight": "\(now.inFlight)", "waiting": "\(now.waiting)", "refused": "\(refused)",
                ]
                for (name, count) in now.shed { metadata["shed_\(name)"] = "\(count - (last.shed[name] ?? 0))" }
                self.logger.warning("shedding load", metadata: metadata)
            } else if shedding {
                shedding = false
                self.logger.notice(
                    "no longer shedding",
                    metadata: [
                        "limit": "\(now.limit)", "checkout_in_flight": "\(now.checkoutInFlight ?? 0)",
                        "in_flight": "\(now.inFlight)",
                    ])
            }
            last = now
        }
    }
}
