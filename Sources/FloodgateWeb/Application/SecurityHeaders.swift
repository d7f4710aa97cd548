import HTTPTypes

/// The headers that keep the shop's answers from being turned against its visitors, kept in one place: the router's
/// ``SecurityHeadersMiddleware`` puts them on every answer, and ``CachedAnswer`` on the pages answered on the connection
/// (``CachedPageHandler``), which never meet the router.
///
/// - `Content-Security-Policy`: a page runs only the shop's own scripts and styles from `/static` (the templates have
///   no inline script, `style=` or event handler, so nothing needs `'unsafe-inline'`), shows only its own images, posts
///   forms only to the shop, and is framed by nobody (`frame-ancestors 'none'`, for the back-office above all).
/// - `X-Content-Type-Options: nosniff`: a browser takes every answer for the type it is sent as — a photo is never
///   read as a page, a stylesheet or a script.
/// - `Referrer-Policy: same-origin`: no address leaves the shop in a `Referer` (an order's confirmation address holds
///   its token).
/// - `X-Frame-Options: DENY`: `frame-ancestors` for browsers that predate it.
enum SecurityHeaders {
    static let contentSecurityPolicy = [
        "default-src 'self'", "img-src 'self' data:", "script-src 'self'", "style-src 'self'", "form-action 'self'",
        "base-uri 'none'", "object-src 'none'", "frame-ancestors 'none'",
    ].joined(separator: "; ")
    static let referrerPolicy = "same-origin"

    /// Names HTTPTypes does not have.
    static let referrerPolicyName = HTTPField.Name("Referrer-Policy")!
    static let frameOptionsName = HTTPField.Name("X-Frame-Options")!

    /// All of them, to append to an answer that has none yet.
    static let fields: HTTPFields = [
        .contentSecurityPolicy: Self.contentSecurityPolicy,
        .xContentTypeOptions: "nosniff",
        Self.referrerPolicyName: Self.referrerPolicy,
        Self.frameOptionsName: "DENY",
    ]

    /// Puts them on `headers`. A `Content-Security-Policy` already there is kept: it was set by a part of the shop
    /// that needs a stricter one (photos, ``PhotoFilesMiddleware``).
    static func apply(to headers: inout HTTPFields) {
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = Self.contentSecurityPolicy }
        headers[.xContentTypeOptions] = "nosniff"
        headers[Self.referrerPolicyName] = Self.referrerPolicy
        headers[Self.frameOptionsName] = "DENY"
    }
}
