import FloodgateAdmission
import Hummingbird

/// `GET /api/v1/admin/admission`: what the door is doing now — admitted, queued and refused requests per
/// class since start, the learnt limit, requests in flight and waiting, clients tracked for rate limits,
/// how often pages were rendered or answered from memory on the connection, and how long answers took in the shop.
struct AdminAdmissionController: Sendable {
    let gates: AdmissionGates?
    let clients: ClientLimits
    let pages: PageCache
    let times: ShopTimes

    struct Document: Encodable, Sendable {
        var enabled: Bool
        var gate: AdmissionGate.Stats?
        var trackedClients: Int
        var trackedCrawlers: Int
        var pageRenders: Int
        /// Catalog and product pages answered from memory on the connection, before the router.
        var pagesAnsweredAtConnection: Int
        /// Answered requests per class, from the head's read on the connection to the answer's end (``ShopTimes``).
        var inShop: [String: LatencyBuckets]
        var inShopP99Milliseconds: [String: Double]
    }

    func addRoutes(to admin: RouterGroup<AppRequestContext>) {
        admin.get("admission", use: self.show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> AdminDocument<Document> {
        let counts = self.clients.counts
        let inShop = self.times.snapshot
        return AdminDocument(
            Document(
                enabled: self.gates != nil, gate: self.gates?.stats(), trackedClients: counts.people,
                trackedCrawlers: counts.crawlers,
                pageRenders: self.pages.renders, pagesAnsweredAtConnection: self.pages.answeredAtConnection,
                inShop: inShop, inShopP99Milliseconds: inShop.compactMapValues { $0.percentile(99) }
            )
        )
    }
}
