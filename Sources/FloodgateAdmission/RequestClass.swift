/// Who is asking, in the order Floodgate serves them when it cannot serve everyone: people paying, then
/// people filling a cart, then people browsing, then robots.
public enum RequestClass: Int, Comparable, CaseIterable, Sendable, CustomStringConvertible {
    case bot = 0
    case browse = 1
    case cart = 2
    case checkout = 3

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .bot: "bot"
        case .browse: "browse"
        case .cart: "cart"
        case .checkout: "checkout"
        }
    }

    /// Parts of user agents of crawlers, lower-cased: they get the smallest share when capacity is short.
    public static let crawlerMarks = [
        "bot", "crawler", "spider", "slurp", "yandex", "baiduspider", "semrush", "ahrefs", "mj12", "petalbot",
        "bytespider",
        "facebookexternalhit", "curl/", "wget/", "python-requests", "go-http-client",
    ]

    /// ``classify(method:path:userAgent:)``, and a visitor with a cart is on the way to checkout: served
    /// before people only looking.
    public static func classify(method: String, path: String, userAgent: String?, cookie: String?) -> RequestClass? {
        let requestClass = Self.classify(method: method, path: path, userAgent: userAgent)
        if requestClass == .browse, let cookie, ASCIISearch.contains(cookie, "cart_") { return .cart }
        return requestClass
    }

    /// Whether a page request with this user agent is a robot's: no user agent, or a crawler's mark in it.
    public static func isRobot(userAgent: String?) -> Bool {
        guard let agent = userAgent, !agent.isEmpty else { return true }
        return Self.crawlerMarks.contains { ASCIISearch.contains(agent, $0) }
    }

    /// Classifies a request by what it does; `nil` for requests never held back (health checks, static assets,
    /// the operator's admin API — it must answer most when the shop is fullest; it is behind a token).
    ///
    /// Pages are for people: a crawler's user agent (or none) makes a page request a robot's. API clients are
    /// scripts and apps by nature (`curl`, `python-requests`…), so the API is classed by what is asked, and
    /// held to its client's rate like everything else.
    public static func classify(method: String, path: String, userAgent: String?) -> RequestClass? {
        // The back-office (few people, behind a login) like the admin API: staff must work when the shop is fullest.
        if path == "/healthz" || path.hasPrefix("/static/") || path.hasPrefix("/api/v1/admin/") || path == "/admin"
            || path.hasPrefix("/admin/")
        {
            return nil
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.first != "api", Self.isRobot(userAgent: userAgent) { return .bot }
        // /api/v1/stores/{store}/orders…, /s/{store}/checkout…, /s/{store}/orders/{number} (the confirmation)
        if parts.count >= 5, parts[0] == "api", parts[3] != "", parts[4] == "orders" { return .checkout }
        // /s/{store}/waitlist/{token}: someone with a held place, about to pay.
        if parts.count >= 3, parts[0] == "s", parts[2] == "checkout" || parts[2] == "orders" || parts[2] == "waitlist" {
            return .checkout
        }
        if parts.count >= 3, parts[0] == "s", parts[2] == "cart" || (parts[2] == "tours" && parts.last == "waitlist") {
            return .cart
        }
        return .browse
    }
}

/// Case-insensitive search of an ASCII needle in a string's bytes, without Foundation (a hot path: every request).
enum ASCIISearch {
    /// Whether `haystack` contains `needle` (given in lower case), ignoring ASCII case.
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { hay in
            needle.withUTF8 { want in
                guard want.count <= hay.count, let first = want.first else { return want.isEmpty }
                var start = 0
                while start + want.count <= hay.count {
                    if Self.lower(hay[start]) == first {
                        var index = 1
                        while index < want.count, Self.lower(hay[start + index]) == want[index] { index += 1 }
                        if index == want.count { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }
}
