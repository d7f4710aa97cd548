/// A person who works in the back-office. What they may do is given per store (``StaffGrant``).
public struct StaffMember: Hashable, Sendable {
    public var id: Int
    public var email: String
    public var name: String

    public init(id: Int, email: String, name: String) {
        self.id = id
        self.email = email
        self.name = name
    }

    /// Email addresses are compared in lower case: `Anna@Shop.example` and `anna@shop.example` are one account.
    public static func normalise(email: String) -> String { email.trimmingSpaces.lowercased() }
}
