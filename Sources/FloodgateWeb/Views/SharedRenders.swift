import NIOCore
import Synchronization

/// Rendered HTML of pages that are the same for every visitor, keyed by what they were drawn from.
///
/// A page is kept as the bytes before and after its per-visitor part (the cart badge), so serving it
/// is two copies and no string search. Bounded: past `capacity` entries it starts over, so no sequence
/// of requests can grow it without limit.
final class SharedRenders: Sendable {
    struct Page: Sendable {
        let head: ByteBuffer
        let tail: ByteBuffer

        init(html: String, marker: String) {
            if let range = html.range(of: marker) {
                self.head = ByteBuffer(string: String(html[..<range.lowerBound]))
                self.tail = ByteBuffer(string: String(html[range.upperBound...]))
            } else {
                self.head = ByteBuffer(string: html)
                self.tail = ByteBuffer()
            }
        }

        /// The page with `middle` where the marker was.
        func body(with middle: String) -> ByteBuffer {
            var out = ByteBuffer()
            out.reserveCapacity(self.head.readableBytes + middle.utf8.count + self.tail.readableBytes)
            out.writeImmutableBuffer(self.head)
            out.writeString(middle)
            out.writeImmutableBuffer(self.tail)
            return out
        }
    }

    private let pages = Mutex<[AnyHashableSendable: Page]>([:])
    private let capacity: Int

    init(capacity: Int = 2_000) {
        self.capacity = capacity
    }

    func page(for key: AnyHashableSendable, marker: String, render: () -> String) -> Page {
        if let page = self.pages.withLock({ $0[key] }) { return page }
        let page = Page(html: render(), marker: marker)
        self.pages.withLock { pages in
            if pages.count >= self.capacity { pages.removeAll(keepingCapacity: true) }
            pages[key] = page
        }
        return page
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
