import Configuration
import FloodgateAdmission
import FloodgateWeb

extension AdmissionSettings {
    /// Keys under `admission.` (`FLOODGATE_ADMISSION_…`): `enabled`, `limit.max`, `queue`, `checkout.limit`,
    /// `checkout.queue`, `checkout.yield`, `checkout.loop`, `wait.{checkout,cart,browse,bot}.ms`, `deadline.{class}.ms`,
    /// `bot.share` (percent of the limit), `client.rate`, `client.burst`, `client.debt`, `bot.rate`, `bot.burst`;
    /// and `http.connections.max`, `http.backlog`, `http.idle-timeout` and `http.head-timeout` (seconds), and
    /// `http.trust.forwarded` (`true`, or better the proxies' addresses, ``TrustedProxies``).
    init(config: ConfigReader) throws {
        self.init()
        self.enabled = try config.flag("admission.enabled", default: true)
        self.maxLimit = try config.wholeNumber("admission.limit.max", default: 256, in: 1...10_000)
        self.queue = try config.wholeNumber("admission.queue", default: 1_024, in: 0...100_000)
        self.checkoutLimit = try config.wholeNumber("admission.checkout.limit", default: 16, in: 1...10_000)
        self.checkoutQueue = try config.wholeNumber("admission.checkout.queue", default: 2_048, in: 0...100_000)
        self.yieldLimit = try config.wholeNumber("admission.checkout.yield", default: 0, in: 0...10_000)
        self.checkoutOnLoop = try config.flag("admission.checkout.loop")
        for requestClass in RequestClass.allCases {
            let wait = Int(self.maxWait[requestClass]! / .milliseconds(1))
            self.maxWait[requestClass] = try config.milliseconds(
                ConfigKey("admission.wait.\(requestClass).ms"), default: wait, in: 0...120_000)
            let deadline = Int(self.deadline[requestClass]! / .milliseconds(1))
            self.deadline[requestClass] = try config.milliseconds(
                ConfigKey("admission.deadline.\(requestClass).ms"), default: deadline, in: 100...600_000
            )
        }
        self.botShare = Double(try config.wholeNumber("admission.bot.share", default: 10, in: 1...100)) / 100
        self.clientRate = Double(try config.wholeNumber("admission.client.rate", default: 20, in: 1...100_000))
        self.clientBurst = Double(try config.wholeNumber("admission.client.burst", default: 100, in: 1...1_000_000))
        self.clientDebt = Double(try config.wholeNumber("admission.client.debt", default: 200, in: 0...1_000_000))
        self.botRate = Double(try config.wholeNumber("admission.bot.rate", default: 2, in: 1...100_000))
        self.botBurst = Double(try config.wholeNumber("admission.bot.burst", default: 20, in: 1...1_000_000))
        if let list = config.string(forKey: "http.trust.forwarded"), let proxies = TrustedProxies(list: list) {
            self.trustForwarded = true
            self.trustedProxies = proxies
        } else {
            self.trustForwarded = try config.flag("http.trust.forwarded", default: false)
        }
        self.maxConnections = try config.wholeNumber("http.connections.max", default: 2_048, in: 16...1_000_000)
        self.backlog = try config.wholeNumber("http.backlog", default: 1_024, in: 16...65_535)
        self.idleTimeout = try config.seconds("http.idle-timeout", default: 30, in: 0.1...3_600)
        self.headTimeout = try config.seconds("http.head-timeout", default: 10, in: 0.1...600)
    }
}
