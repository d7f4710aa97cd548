import FloodgateCore

/// The catalog and tours as this process last read them (the pages' caches), for pricing and checking a
/// checkout without reading the database first.
///
/// Only PostgreSQL's checkout uses it, and only for what its write can confirm (``ConfirmingOrder``): an order
/// priced from memory is written only if its products and tour are still as remembered. A memory that is stale,
/// or that does not hold the tour, costs the checkout its reads and nothing else.
public struct CheckoutMemory: Sendable {
    let catalog: any CatalogRepository
    let windows: any DeliveryWindowRepository

    /// - Parameters:
    ///   - catalog: the store's products, as fresh as the catalog pages show them;
    ///   - windows: the store's tours from a local date on, as fresh as the pages show them.
    public init(catalog: any CatalogRepository, windows: any DeliveryWindowRepository) {
        self.catalog = catalog
        self.windows = windows
    }

    /// The checks' reads from memory, on the store's local date `today`.
    func reads(today: String) -> Reads {
        Reads(memory: self, today: today)
    }

    /// ``CheckoutReads`` served from memory; zones are not remembered.
    struct Reads: CheckoutReads {
        let memory: CheckoutMemory
        /// The store's local date: the remembered tours start there.
        let today: String

        func products(storeID: Int, ids: [Int]) async throws -> [Product] {
            try await self.memory.catalog.products(storeID: storeID, ids: ids)
        }

        func window(storeID: Int, id: Int) async throws -> DeliveryWindow? {
            try await self.memory.windows.windows(storeID: storeID, fromDate: self.today).first { $0.id == id }
        }

        /// A tour that serves zones is checked against the database: its write could not confirm the zones.
        func zones(storeID: Int) async throws -> [Zone] {
            throw NotRemembered()
        }
    }

    /// What a checkout needs is not in memory, or cannot be confirmed by its write.
    struct NotRemembered: Error {}
}
