/// A message about one field of submitted input, e.g. `customer.email`: "Enter an email address like name@example.com".
public struct FieldError: Hashable, Sendable, Codable {
    /// Dotted path of the field as the client sent it (`items[0].quantity`, `recipient.address`).
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
