/// A person who works in the back-office.
public struct StaffMember: Hashable, Sendable {
    public var id: Int
    public var email: String
    public var name: String
    public var role: StaffRole

    public init(id: Int, email: String, name: String, role: StaffRole) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
    }

    /// Email addresses are compared in lower case: `Anna@Shop.example` and `anna@shop.example` are one account.
    public static func normalise(email: String) -> String { email.trimmingSpaces.lowercased() }
}
