/// Two doors, one per resource a request mostly waits for (bulkheads):
/// - **checkout** — placing orders waits for the database's writer, which commits many at once; a fixed number
///   in flight (enough to fill a group commit) and a queue of their own. Checkouts never wait behind pages;
///   their time on the writer is not mistaken for the machine being slow.
/// - **pages** — browsing, carts and crawlers are CPU work; an adaptive limit learns how many the machine serves
///   at full speed, a queue orders them cart > browse > bot, and crawlers hold only their share.
/// While checkouts wait for their door, the pages door lets only a couple of requests in, leaving the cores to
/// the checkouts: people paying are served first.
public struct AdmissionGates: Sendable {
    public let pages: AdmissionGate
    public let checkout: AdmissionGate

    public init(pages: AdmissionGate, checkout: AdmissionGate) {
        self.pages = pages
        self.checkout = checkout
    }

    public func gate(for requestClass: RequestClass) -> AdmissionGate {
        requestClass == .checkout ? self.checkout : self.pages
    }

    /// Both doors' counts together (per class, in flight, waiting) and each one's limit.
    public func stats() -> AdmissionGate.Stats {
        let (pages, checkout) = (self.pages.stats(), self.checkout.stats())
        func sum(_ a: [String: Int], _ b: [String: Int]) -> [String: Int] { a.merging(b, uniquingKeysWith: +) }
        // Each class goes through one door only: its latencies are that door's.
        func pick<T>(_ a: [String: T], _ b: [String: T]) -> [String: T] {
            a.merging(b.filter { $0.key == RequestClass.checkout.description }) { _, checkout in checkout }
        }
        return AdmissionGate.Stats(
            admitted: sum(pages.admitted, checkout.admitted), queued: sum(pages.queued, checkout.queued),
            shed: sum(pages.shed, checkout.shed),
            inFlight: pages.inFlight + checkout.inFlight, limit: pages.limit, waiting: pages.waiting + checkout.waiting,
            noLoadMilliseconds: pages.noLoadMilliseconds, checkoutLimit: checkout.limit,
            checkoutInFlight: checkout.inFlight,
            service: pick(pages.service, checkout.service), wait: pick(pages.wait, checkout.wait),
            serviceP50Milliseconds: pick(pages.serviceP50Milliseconds, checkout.serviceP50Milliseconds),
            serviceP99Milliseconds: pick(pages.serviceP99Milliseconds, checkout.serviceP99Milliseconds)
        )
    }
}
