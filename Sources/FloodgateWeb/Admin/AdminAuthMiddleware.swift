import Crypto
import FloodgateCore
import FloodgateStore
import Foundation
import Hummingbird

/// Who called the admin API.
enum AdminCaller: Sendable {
    /// The deployment's admin token: automation, allowed everything, recorded as "admin token".
    case deployment
    /// A person's own token: their role in one store, never more than their grant there now.
    case person(TokenAccess)
}

/// Lets a request into `/api/v1/admin` only with `Authorization: Bearer <token>`: the deployment's admin token, or a
/// person's API token (`fgp_…`). Which routes a person's token reaches is decided by ``AdminRequires`` on each group.
///
/// With neither the admin token configured nor a personal token sent, the admin API is closed to everyone. The admin
/// token is compared by digest (the same time however much of it matches); a personal token is looked up by its
/// SHA-256.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// SHA-256 of the configured token, or nil when only personal tokens open the admin API.
    let tokenDigest: [UInt8]?
    let tokens: any APITokenRepository

    init(token: String?, tokens: any APITokenRepository) {
        self.tokenDigest = token.map { Array(SHA256.hash(data: Data($0.utf8))) }
        self.tokens = tokens
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if context.adminCaller == nil { context.adminCaller = try await self.authenticate(request) }
        return try await next(request, context)
    }

    /// The caller the request's bearer token names; throws 401 for anything else.
    func authenticate(_ request: Request) async throws -> AdminCaller {
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        if token.hasPrefix(SQLAPITokenRepository.prefix) {
            guard let access = try await self.tokens.access(secret: token) else { throw Self.refused }
            return .person(access)
        }
        guard let expected = self.tokenDigest else {
            throw Problem(
                "admin-closed", status: .unauthorized, title: "The admin API is closed",
                detail: "Send a personal API token, or start floodgate with --admin-token (env FLOODGATE_ADMIN_TOKEN).")
        }
        guard !token.isEmpty, Array(SHA256.hash(data: Data(token.utf8))) == expected else { throw Self.refused }
        return .deployment
    }

    static let refused = Problem(
        "unauthorized", status: .unauthorized, title: "Not authorised",
        detail: "Send Authorization: Bearer <admin token or your API token>.")
}

/// Stands on an admin API route group: a person's token passes only with `permission` in its store, and only for
/// that store on a store's routes; routes of no store (tasks, jobs: the whole shop's) need the permission in every
/// store (``TokenAccess/shopWide``). The deployment's admin token passes.
struct AdminRequires: RouterMiddleware {
    typealias Context = AppRequestContext
    let permission: Permission

    init(_ permission: Permission) {
        self.permission = permission
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch context.adminCaller {
        case .deployment:
            break
        case .person(let access):
            let allowed =
                if let store = context.store {
                    store.id == access.token.storeID && access.permissions.contains(self.permission)
                } else {
                    access.shopWide.contains(self.permission)
                }
            guard allowed else {
                throw Problem(
                    "forbidden", status: .forbidden, title: "Not for this token",
                    detail: "This token's role (or store) does not allow this call.")
            }
        case nil:
            throw AdminAuthMiddleware.refused
        }
        return try await next(request, context)
    }
}
