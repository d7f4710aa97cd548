import Foundation
import Hummingbird

/// The request context of every Floodgate route.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// No order, cart or form comes near this; a larger body is refused with 413 before it is read.
    public var maxUploadSize: Int { 64 * 1024 }

    /// Stable key order and unescaped slashes keep API answers readable and diffable.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
