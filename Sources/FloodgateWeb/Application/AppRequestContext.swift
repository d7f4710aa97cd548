import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird
import NIOCore

/// The request context of every Floodgate route.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext, StoreRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (the proxy's address behind HAProxy/nginx; see ``ClientLimits/address(_:_:)``).
    public let remoteAddress: SocketAddress?
    /// The signed-in member of staff on back-office pages (set by ``StaffSessionMiddleware``).
    public var staff: StaffSession?
    /// The store the path names, on a store's route group (set by ``StoreMiddleware``).
    public var store: Store?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
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
