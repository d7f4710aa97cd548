import FloodgateCore
import Foundation

/// Reads a JSON body (an order, a product change): syntax errors are a 400, wrong shapes a 422 naming the field.
enum OrderBodyDecoder {
    static func decode(_ data: Data) throws -> OrderRequest.Draft {
        try Self.decode(OrderRequest.Draft.self, data)
    }

    static func decode<Body: Decodable>(_ type: Body.Type, _ data: Data) throws -> Body {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw Self.problem(for: error, in: data)
        }
    }

    static func problem(for error: DecodingError, in data: Data) -> Problem {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // The decoder reports `1.5` or `1e30` where a whole number belongs the way it reports a syntax error,
            // without the field: valid JSON is a 422, not "not valid JSON".
            if (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) != nil {
                let message =
                    "A value cannot be read: a number that is not whole or is past \(Int.max), or text that is not valid Unicode."
                return .validation([FieldError(field: "body", message: message)])
            }
            return .malformedJSON("The body could not be parsed as JSON. Check quotes, commas and brackets.")
        case .typeMismatch(let type, let context):
            let field = Self.path(context.codingPath)
            if field.isEmpty {
                return .validation([FieldError(field: "body", message: "The body must be a JSON object.")])
            }
            return .validation([FieldError(field: field, message: "Expected \(Self.describe(type)).")])
        case .valueNotFound(let type, let context):
            return .validation([
                FieldError(field: Self.path(context.codingPath), message: "Expected \(Self.describe(type)).")
            ])
        case .keyNotFound(let key, let context):
            return .validation([
                FieldError(field: Self.path(context.codingPath + [key]), message: "This field is required.")
            ])
        case .dataCorrupted(let context):
            return .validation([FieldError(field: Self.path(context.codingPath), message: "This value cannot be read.")]
            )
        @unknown default:
            return .malformedJSON("The body could not be read.")
        }
    }

    /// `items[0].quantity` from a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int?.Type: "a whole number"
        case is String.Type, is String?.Type: "a string"
        case is Bool.Type, is Bool?.Type: "true or false"
        case is [OrderRequest.Draft.Item].Type: "a list of items"
        default: "a JSON object"
        }
    }
}
