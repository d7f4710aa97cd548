import FloodgateCore
import FloodgateStore
import Hummingbird
import NIOCore

/// Where a back-office request came from, as the audit log records it.
struct StaffOrigin: Sendable {
    var address: String
    var userAgent: String
}

/// The context of every signed-in back-office route: it holds a live staff session, and cannot be made without one.
///
/// The back-office's routes are registered on a route group of this context
/// (``BackOfficeRoutes``), so a handler there is never reached by a request without a session, however its
/// path was spelled: the router builds this context from the parent one, and that fails without a session.
/// On a store's group, ``StoreAccess`` adds the person's grant for that store, or refuses them.
struct StaffRequestContext: ChildRequestContext, StoreRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    /// Who is signed in, and the token their forms must carry.
    let session: StaffSession
    let origin: StaffOrigin
    /// The store the path names, on a store's route group (set by ``StoreMiddleware``).
    var store: Store?
    /// Their access to that store (set by ``StoreAccess``).
    var grant: StaffGrant?

    init(context: AppRequestContext) throws {
        guard let session = context.staff, session.stage == .full else { throw SignInRequired.signedOut }
        self.coreContext = context.coreContext
        self.remoteAddress = context.remoteAddress
        self.session = session
        self.origin = context.staffOrigin ?? StaffOrigin(address: "unknown", userAgent: "")
        self.store = context.store
    }

    /// The same limit as every other route: no back-office form but a photo comes near it (see ``MultipartForm``).
    var maxUploadSize: Int { 64 * 1024 }

    /// What they may do in this request's store (nothing off a store's group).
    var permissions: Set<Permission> { self.grant?.permissions ?? [] }

    /// The person, their role here, and where from: who the audit log says did what this request changes.
    var actor: Actor {
        Actor(
            kind: .session, staffID: self.session.staff.id, name: self.session.staff.name,
            role: self.grant?.label ?? "", address: self.origin.address, userAgent: self.origin.userAgent)
    }
}
