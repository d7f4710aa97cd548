import FloodgateAdmission

extension AdmissionGates {
    /// The two doors as configured: checkouts at a fixed limit with their own queue, pages at an adaptive limit
    /// that gives way to waiting checkouts when `yieldLimit` is set.
    init(settings: AdmissionSettings) {
        let checkouts = Double(settings.checkoutLimit)
        let checkout = AdmissionGate(
            limit: AdaptiveLimit(initial: checkouts, minLimit: checkouts, maxLimit: checkouts),
            settings: .init(queueCapacity: settings.checkoutQueue, maxWait: settings.maxWait)
        )
        let max = Double(settings.maxLimit)
        let pages = AdmissionGate(
            limit: AdaptiveLimit(
                initial: min(32, max), minLimit: min(8, max), maxLimit: max, tolerance: settings.tolerance),
            settings: .init(
                queueCapacity: settings.queue, maxWait: settings.maxWait, maxShare: [.bot: settings.botShare]),
            yieldTo: settings.yieldLimit > 0 ? checkout : nil, yieldLimit: settings.yieldLimit
        )
        self.init(pages: pages, checkout: checkout)
    }
}
