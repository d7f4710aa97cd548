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
    /// Who called the admin API (set by ``AdminAuthMiddleware``).
    var adminCaller: AdminCaller?
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
    /// Who called the admin API, as the audit log names them: the deployment's admin token, or a person by their
    /// token (``AdminOrigin`` has set where from).
    var adminActor: Actor {
        let address = self.staffOrigin?.address ?? self.remoteAddress?.ipAddress ?? "unknown"
        let agent = self.staffOrigin?.userAgent ?? ""
        guard case .person(let access) = self.adminCaller else {
            return Actor(kind: .adminToken, name: "admin token", address: address, userAgent: agent)
        }
        return Actor(
            kind: .apiToken, staffID: access.token.staff.id,
            name: "\(access.token.staff.name) (token \(access.token.id) \(access.token.name))",
            role: access.token.label,
            address: address, userAgent: agent)
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
