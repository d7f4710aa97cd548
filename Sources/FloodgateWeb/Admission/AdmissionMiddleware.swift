import FloodgateAdmission
import FloodgateCore
import FloodgateStore
import Hummingbird

/// The first thing a request meets: classified, held to its client's rate, let through the
/// ``AdmissionGate`` (or refused cheaply by the ``WaitingRoom``), and given its ``RequestDeadline``.
///
/// A client over its rate is served as a robot would be (shed first); past its debt it gets `429`. Checkouts
/// are never demoted. A request a trusted proxy in front has refused (``ProxyShed``) gets the waiting room at once.
/// `/healthz` and static assets are not held back.
struct AdmissionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let gates: AdmissionGates?
    let clients: ClientLimits
    let settings: AdmissionSettings
    let waitingRoom: WaitingRoom

    /// The threads admitted checkouts run on, for the life of the process (like NIO's singleton loops).
    static let checkoutLane = ThreadExecutor(threads: 2, nice: ThreadExecutor.urgent)

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard
            var requestClass = RequestClass.classify(
                method: request.method.rawValue, path: path, userAgent: request.headers[.userAgent],
                cookie: request.headers[.cookie]
            )
        else { return try await next(request, context) }
        let now = ContinuousClock.now
        switch self.clients.take(request, context: context, crawler: requestClass == .bot) {
        case .within:
            break
        case .over:
            if requestClass != .checkout { requestClass = .bot }
        case .refused(let retryAfter):
            return await self.waitingRoom.response(
                to: request, retryAfter: max(1, Int(retryAfter.rounded(.up))), tooFast: true)
        }
        if let retryAfter = ProxyShed.retryAfter(request.headers, trusted: self.settings.trusts(context.remoteAddress))
        {
            self.gates?.gate(for: requestClass).recordShed(requestClass)
            return await self.waitingRoom.response(to: request, retryAfter: retryAfter, tooFast: false)
        }
        let deadline = now + (self.settings.deadline[requestClass] ?? .seconds(5))
        guard let gate = self.gates?.gate(for: requestClass) else {
            return try await RequestDeadline.$current.withValue(deadline) { try await next(request, context) }
        }
        guard requestClass == .checkout else {
            return try await self.pass(gate, requestClass, now: now, deadline: deadline, request, context, next: next)
        }
        // A checkout waits for its door, runs and leaves it on threads of its own, at a raised priority: never
        // queued behind pages on Swift's shared pool, first to a core when both are busy. Waiting here also means
        // an admitted checkout resumes on these threads; woken on the shared pool, it held its place at the door
        // while it waited there for a thread, before its work and again after it.
        return try await withTaskExecutorPreference(Self.checkoutLane) {
            try await self.pass(gate, requestClass, now: now, deadline: deadline, request, context, next: next)
        }
    }

    /// Through `gate`: refused by the waiting room, or admitted, run with its deadline and out again.
    private func pass(
        _ gate: AdmissionGate, _ requestClass: RequestClass, now: ContinuousClock.Instant,
        deadline: ContinuousClock.Instant,
        _ request: Request, _ context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch await gate.enter(requestClass, now: now) {
        case .shed(let retryAfter):
            return await self.waitingRoom.response(to: request, retryAfter: retryAfter, tooFast: false)
        case .admitted(let ticket):
            defer { gate.leave(ticket) }
            return try await RequestDeadline.$current.withValue(deadline) { try await next(request, context) }
        }
    }
}
