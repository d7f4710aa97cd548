import Synchronization

/// Rendered HTML of pages that are the same for every visitor, keyed by what they were drawn from.
///
/// Bounded: past `capacity` entries it starts over, so no sequence of requests can grow it without limit.
final class SharedRenders: Sendable {
    private let pages = Mutex<[AnyHashableSendable: String]>([:])
    private let capacity: Int

    init(capacity: Int = 2_000) {
        self.capacity = capacity
    }

    func html(for key: AnyHashableSendable, render: () -> String) -> String {
        if let html = self.pages.withLock({ $0[key] }) { return html }
        let html = render()
        self.pages.withLock { pages in
            if pages.count >= self.capacity { pages.removeAll(keepingCapacity: true) }
            pages[key] = html
        }
        return html
    }
}

/// A type-erased, sendable hashable key.
struct AnyHashableSendable: Hashable, @unchecked Sendable {
    // `AnyHashable` is not `Sendable`; every value put in here is required to be `Sendable` by the initialiser.
    private let base: AnyHashable

    init(_ value: some Hashable & Sendable) {
        self.base = AnyHashable(value)
    }
}
