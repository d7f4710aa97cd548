import FloodgateCore
import FloodgateStore
import Hummingbird
import NIOCore

/// The context of every signed-in back-office route: it holds a live staff session, and cannot be made without one.
///
/// The back-office's routes are registered on a route group of this context
/// (``BackOfficeRoutes``), so a handler there is never reached by a request without a session, however its
/// path was spelled: the router builds this context from the parent one, and that fails without a session.
struct StaffRequestContext: ChildRequestContext, StoreRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    /// Who is signed in, and the token their forms must carry.
    let session: StaffSession
    /// The store the path names, on a store's route group (set by ``StoreMiddleware``).
    var store: Store?

    init(context: AppRequestContext) throws {
        guard let session = context.staff else { throw SignInRequired.signedOut }
        self.coreContext = context.coreContext
        self.remoteAddress = context.remoteAddress
        self.session = session
        self.store = context.store
    }

    /// The same limit as every other route: no back-office form but a photo comes near it (see ``MultipartForm``).
    var maxUploadSize: Int { 64 * 1024 }
}
