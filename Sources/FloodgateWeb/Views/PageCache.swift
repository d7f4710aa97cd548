import FloodgateCore
import FloodgateStore
import NIOCore
import Synchronization

/// Rendered catalog and product pages, kept in memory for a short time and rendered once per key.
///
/// The keeping is a ``TTLCache`` of rendered pages, with what that promises:
/// - **Fresh for `ttl`**: a hit costs a dictionary look-up and two copies (the page is kept as the bytes
///   before and after its per-visitor part, the cart badge). Across several instances that is the bound on
///   staleness, with no messaging between them.
/// - **Invalidated at once** in this process when a store's products, prices or availability change
///   (``invalidate(store:)``): its pages are dropped and a render that started before the change is not kept.
/// - **One render per key**: when a page is missing or expired, the first request renders it and every
///   concurrent request for the same key waits for that render instead of starting its own (no stampede).
/// - **Bounded**: past `capacity` entries it starts over.
final class PageCache: Sendable {
    /// Which page: the store's slug (the unit of invalidation) and the page within it.
    struct Key: Hashable, Sendable {
        let store: String
        let page: String
    }

    /// A rendered page and its entity tag (a hash of the shared bytes; the same page rendered again has the same tag).
    struct Entry: Sendable {
        let head: ByteBuffer
        let tail: ByteBuffer
        /// The page with an empty badge (most visitors), ready to send without a copy.
        let whole: ByteBuffer
        let etag: String

        init(html: String, marker: String) {
            if let range = html.range(of: marker) {
                self.head = ByteBuffer(string: String(html[..<range.lowerBound]))
                self.tail = ByteBuffer(string: String(html[range.upperBound...]))
            } else {
                self.head = ByteBuffer(string: html)
                self.tail = ByteBuffer()
            }
            var whole = ByteBuffer()
            whole.writeImmutableBuffer(self.head)
            whole.writeImmutableBuffer(self.tail)
            self.whole = whole
            self.etag = Self.hash(html)
        }

        /// The page with `middle` where the marker was.
        func body(with middle: String) -> ByteBuffer {
            if middle.isEmpty { return self.whole }
            var out = ByteBuffer()
            out.reserveCapacity(self.head.readableBytes + middle.utf8.count + self.tail.readableBytes)
            out.writeImmutableBuffer(self.head)
            out.writeString(middle)
            out.writeImmutableBuffer(self.tail)
            return out
        }

        /// FNV-1a, 64 bits, in hex: an entity tag, not a security measure.
        static func hash(_ text: String) -> String {
            var value: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in text.utf8 {
                value ^= UInt64(byte)
                value &*= 0x100_0000_01b3
            }
            return HexDigits.encode(value)
        }
    }

    private let cache: TTLCache<Key, Entry>
    let ttl: Duration
    /// `Cache-Control` of a page a CDN may keep: for the cache's time, never in browsers (they revalidate).
    let sharedCacheControl: String
    private let marker: String

    init(ttl: Duration, marker: String, capacity: Int = 2_000) {
        self.cache = TTLCache(ttl: ttl, capacity: capacity)
        self.ttl = ttl
        self.sharedCacheControl = "public, max-age=0, s-maxage=\(max(1, Int((ttl / .seconds(1)).rounded(.down))))"
        self.marker = marker
    }

    /// How many renders have begun since the process started (for tests and stats).
    var renders: Int { self.cache.loads }

    /// How many pages were answered from memory at the connection (``CachedPageHandler``) since start.
    var answeredAtConnection: Int { self.early.load(ordering: .relaxed) }
    private let early = Atomic<Int>(0)

    /// The page for `key` if it is in memory and fresh — never rendering, never waiting.
    func fresh(_ key: Key) -> Entry? {
        self.cache.fresh(key)
    }

    /// Counts a page answered from memory on the connection.
    func answeredOne() {
        self.early.add(1, ordering: .relaxed)
    }

    /// The page for `key`: from memory while fresh, else rendered by `render` — once, however many ask at once.
    func entry(for key: Key, render: @escaping @Sendable () async throws -> String) async throws -> Entry {
        try await self.cache.value(for: key) { [marker] in Entry(html: try await render(), marker: marker) }
    }

    /// Forgets every page of `store` now, including a render already under way.
    func invalidate(store: String) {
        self.cache.remove { $0.store == store }
    }
}
