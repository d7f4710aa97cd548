import FloodgateCore
import Hummingbird
import NIOCore

/// A client-facing error: RFC 9457 problem details for the API, the same facts on the HTML error page.
///
/// `type` is stable (`urn:floodgate:problem:window-full`); clients branch on it, never on `title` or `detail`.
public struct Problem: Error, Sendable, Encodable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// Per-field messages for validation problems.
    public var errors: [FieldError]?

    init(_ slug: String, status: HTTPResponse.Status, title: String, detail: String, errors: [FieldError]? = nil) {
        self.type = "urn:floodgate:problem:\(slug)"
        self.title = title
        self.status = status.code
        self.detail = detail
        self.errors = errors
    }

    var slug: String { String(self.type.dropFirst("urn:floodgate:problem:".count)) }

    static func notFound(_ what: String) -> Problem {
        Problem("not-found", status: .notFound, title: "Not found", detail: what)
    }

    static func malformedJSON(_ detail: String) -> Problem {
        Problem("malformed-json", status: .badRequest, title: "The body is not valid JSON", detail: detail)
    }

    static func validation(_ errors: [FieldError]) -> Problem {
        Problem(
            "validation", status: .unprocessableContent, title: "Some fields need attention",
            detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: " "), errors: errors
        )
    }

    /// The problem a shop rule or a framework error stands for; `nil` for a real fault (a 500).
    static func from(_ error: any Error) -> Problem? {
        switch error {
        case let problem as Problem: return problem
        case let refused as MethodNotAllowed: return refused.problem
        case let checkout as CheckoutError: return Problem(checkout)
        case let http as HTTPError where http.status.code < 500: return Problem(http)
        case is NIOTooManyBytesError: return Problem(HTTPError(.contentTooLarge))
        default: return nil
        }
    }

    init(_ error: CheckoutError) {
        switch error {
        case .validation(let errors):
            self = .validation(errors)
        case .productUnavailable(let names):
            self.init(
                "product-unavailable", status: .conflict, title: "A product cannot be ordered now",
                detail:
                    "Not available at the moment: \(names.joined(separator: ", ")). Remove it from the order and try again."
            )
        case .windowFull:
            self.init(
                "window-full", status: .conflict, title: "The delivery window is full",
                detail: "Every place in this delivery window has just been taken. Choose another window."
            )
        case .idempotencyKeyReused:
            self.init(
                "idempotency-key-reused", status: .unprocessableContent, title: "Idempotency key reused",
                detail: "This Idempotency-Key was already used with a different request. Use a new key for a new order."
            )
        case .holdExpired:
            self.init(
                "hold-expired", status: .gone, title: "The held place is gone",
                detail:
                    "The place held for you on this delivery tour has run out or was already used. Choose another tour."
            )
        }
    }

    init(_ error: HTTPError) {
        switch error.status {
        case .contentTooLarge:
            self.init(
                "body-too-large", status: .contentTooLarge, title: "The body is too large",
                detail: "Send at most 64 KiB.")
        case .notFound:
            self.init(
                "not-found", status: .notFound, title: "Not found",
                detail: error.body ?? "There is nothing at this address.")
        case .methodNotAllowed:
            self.init(
                "method-not-allowed", status: .methodNotAllowed, title: "Method not allowed", detail: error.body ?? "")
        default:
            self.init(
                "bad-request", status: error.status, title: error.status.reasonPhrase,
                detail: error.body ?? error.status.reasonPhrase)
        }
    }
}
