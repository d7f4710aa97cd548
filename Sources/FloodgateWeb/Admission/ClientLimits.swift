import FloodgateAdmission
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Per-client rate limits, by address (an IPv6 address by its /64, see ``ClientKey``): one set of buckets for
/// people's browsers and API clients, a smaller one for crawlers. Both bounded in memory (see ``ClientRateLimiter``).
final class ClientLimits: Sendable {
    private let people: Mutex<ClientRateLimiter>
    private let crawlers: Mutex<ClientRateLimiter>
    private let settings: AdmissionSettings
    private let origin = ContinuousClock.now

    init(settings: AdmissionSettings) {
        self.people = Mutex(
            ClientRateLimiter(
                rate: settings.clientRate, burst: settings.clientBurst, debt: settings.clientDebt,
                maxClients: settings.maxClients)
        )
        self.crawlers = Mutex(
            ClientRateLimiter(rate: settings.botRate, burst: settings.botBurst, maxClients: settings.maxClients))
        self.settings = settings
    }

    /// Clients remembered now, people and crawlers.
    var counts: (people: Int, crawlers: Int) {
        (self.people.withLock { $0.count }, self.crawlers.withLock { $0.count })
    }

    /// Takes a token for the request's client. Crawlers have no debt: past their bucket they are refused.
    func take(_ request: Request, context: AppRequestContext, crawler: Bool) -> ClientRateLimiter.Verdict {
        self.take(self.address(request.headers, peer: context.remoteAddress), crawler: crawler)
    }

    /// Takes a token for the client at `address` (with `onlyWithin`, only if it is within its rate).
    func take(_ client: String, crawler: Bool, onlyWithin: Bool = false) -> ClientRateLimiter.Verdict {
        let now = (ContinuousClock.now - self.origin) / .seconds(1)
        return crawler
            ? self.crawlers.withLock { $0.take(client, now: now, onlyWithin: onlyWithin) }
            : self.people.withLock { $0.take(client, now: now, onlyWithin: onlyWithin) }
    }

    /// The client's key (``ClientKey``: an IPv6 address by its /64): of the connection's peer, or behind a trusted
    /// proxy of the last `X-Forwarded-For` entry (the one the proxy itself added; earlier ones are whatever the
    /// client claimed).
    func address(_ headers: HTTPFields, peer: SocketAddress?) -> String {
        if self.settings.trusts(peer), let forwarded = headers[Self.forwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return ClientKey.key(for: last)
        }
        return peer.map { ClientKey.key(for: $0) } ?? "unknown"
    }

    /// The client's own address, for the audit log: as ``address(_:peer:)`` finds it, but whole (not by /64).
    func fullAddress(_ headers: HTTPFields, peer: SocketAddress?) -> String {
        if self.settings.trusts(peer), let forwarded = headers[Self.forwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return String(last.prefix(64))
        }
        return peer?.ipAddress ?? "unknown"
    }

    private static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
