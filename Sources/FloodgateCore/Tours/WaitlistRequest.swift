/// A checked request to join a tour's waiting list: who to tell, and the cart they want.
public struct WaitlistRequest: Hashable, Sendable {
    public var windowID: Int
    public var name: String
    public var email: String
    public var phone: String
    /// The cart, encoded as the cart cookie is; may be empty (the customer fills it when the offer comes).
    public var cart: String

    /// The request as received, every field optional, so every problem is reported at once.
    public struct Draft: Hashable, Sendable, Codable {
        public var name: String?
        public var email: String?
        public var phone: String?
        public var cart: String?

        public init(name: String?, email: String?, phone: String?, cart: String?) {
            self.name = name
            self.email = email
            self.phone = phone
            self.cart = cart
        }

        public func validated(windowID: Int) throws(CheckoutError) -> WaitlistRequest {
            var check = FieldChecker()
            let name = check.text(self.name, "name", "Enter your name.", max: OrderRequest.Limits.nameLength)
            let email = check.email(self.email, "email")
            let phone = check.phone(self.phone, "phone")
            let cart = Cart(encoded: self.cart ?? "")
            guard check.errors.isEmpty else { throw .validation(check.errors) }
            return WaitlistRequest(windowID: windowID, name: name, email: email, phone: phone, cart: cart.encoded)
        }
    }
}

/// Why someone could not join a waiting list.
public enum WaitlistError: Error, Hashable, Sendable {
    /// No such tour in this shop.
    case tourNotFound
    /// The tour has places: order instead of waiting.
    case placesLeft(Int)
    /// The tour takes no more orders (cut-off passed), so waiting would be for nothing.
    case tourClosed
}
