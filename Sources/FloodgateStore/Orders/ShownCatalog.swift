import FloodgateCore

/// The catalog and tours as the shop's pages show them (their caches), for pricing and checking a checkout without
/// reading the database first.
///
/// Only PostgreSQL's checkout uses it, and only for what its write can confirm (``PlaceOrderStatement`` with a
/// shown tour): an order priced from what was shown is written only if its products and tour are still so. A shown
/// catalog that is stale, or that does not hold the tour, costs the checkout its reads and nothing else.
public struct ShownCatalog: Sendable {
    let catalog: any CatalogRepository
    let windows: any DeliveryWindowRepository

    /// - Parameters:
    ///   - catalog: the store's products, as fresh as the catalog pages show them;
    ///   - windows: the store's tours from a local date on, as fresh as the pages show them.
    public init(catalog: any CatalogRepository, windows: any DeliveryWindowRepository) {
        self.catalog = catalog
        self.windows = windows
    }

    /// The checks' reads from what is shown, on the store's local date `today`.
    func reads(today: String) -> Reads {
        Reads(shown: self, today: today)
    }

    /// ``CheckoutReads`` served from what is shown; zones are not.
    struct Reads: CheckoutReads {
        let shown: ShownCatalog
        /// The store's local date: the shown tours start there.
        let today: String

        func products(storeID: Int, ids: [Int]) async throws -> [Product] {
            try await self.shown.catalog.products(storeID: storeID, ids: ids)
        }

        func window(storeID: Int, id: Int) async throws -> DeliveryWindow? {
            try await self.shown.windows.windows(storeID: storeID, fromDate: self.today).first { $0.id == id }
        }

        /// A tour that serves zones is checked against the database: its write could not confirm the zones.
        func zones(storeID: Int) async throws -> [Zone] {
            throw NotShown()
        }
    }

    /// What a checkout needs is not shown, or cannot be confirmed by its write.
    struct NotShown: Error {}
}
