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
    /// Where a back-office request came from (set with ``staff``).
    var staffOrigin: StaffOrigin?
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

extension AppRequestContext {
    /// The deployment's admin token, as the audit log names whoever used it (``AdminOrigin`` has set where from).
    var adminTokenActor: Actor {
        Actor(
            kind: .adminToken, name: "admin token",
            address: self.staffOrigin?.address ?? self.remoteAddress?.ipAddress ?? "unknown",
            userAgent: self.staffOrigin?.userAgent ?? "")
    }
}

/// Stands on the admin API's group: notes where each call came from, for the audit log.
struct AdminOrigin: RouterMiddleware {
    typealias Context = AppRequestContext
    let sessions: StaffSessions

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.staffOrigin = self.sessions.origin(request, context: context)
        return try await next(request, context)
    }
}
