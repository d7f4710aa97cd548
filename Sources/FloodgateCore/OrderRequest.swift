/// A checked request to place an order: what the API body or the checkout form asked for.
///
/// Build one with ``OrderRequest/Draft/validated()``; an `OrderRequest` value is always well-formed
/// (but products may still be unavailable and windows full: that is decided in the order transaction).
public struct OrderRequest: Hashable, Sendable, Codable {
    public struct Item: Hashable, Sendable, Codable {
        public var product: Int
        public var quantity: Int
        public init(product: Int, quantity: Int) {
            self.product = product
            self.quantity = quantity
        }
    }

    public struct Customer: Hashable, Sendable, Codable {
        public var name: String
        public var phone: String
        public var email: String
        public init(name: String, phone: String, email: String) {
            self.name = name
            self.phone = phone
            self.email = email
        }
    }

    public struct Recipient: Hashable, Sendable, Codable {
        public var name: String
        public var phone: String
        public var address: String
        /// Postcode or district that places the address in a delivery zone; may be empty where the shop has no zones.
        public var postcode: String
        public init(name: String, phone: String, address: String, postcode: String = "") {
            self.name = name
            self.phone = phone
            self.address = address
            self.postcode = postcode
        }
    }

    public var items: [Item]
    public var customer: Customer
    public var recipient: Recipient
    public var deliveryWindow: Int
    public var cardMessage: String
    /// The token of a waiting-list offer: the order takes the place held for it.
    public var hold: String?

    /// Limits a real shop needs and no customer reaches.
    ///
    /// Lengths are in characters as people count them, and hold in UTF-8 bytes too, at ``bytesPerCharacter``
    /// a character: one `Character` may carry any number of combining marks, and names become index entries
    /// (``OrderSearch``), which PostgreSQL refuses past about 2,700 bytes.
    public enum Limits {
        public static let nameLength = 100
        public static let addressLength = 300
        public static let cardMessageLength = 500
        /// In bytes, as mail servers count (RFC 5321).
        public static let emailLength = 254
        public static let phoneLength = 40
        public static let postcodeLength = 20
        /// The digits of a waiting-list offer's token (``RandomToken``) at most.
        public static let holdLength = 64
        public static let items = Cart.maxLines
        /// The most UTF-8 bytes a scalar takes: a text within its length in scalars is within this many bytes a
        /// character.
        public static let bytesPerCharacter = 4
    }

    /// Whether `token` could be a waiting-list offer's: hex digits, at most ``Limits/holdLength``. Anything else
    /// is refused before it is looked up.
    public static func isWellFormedHold(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.count <= Limits.holdLength
            && token.utf8.allSatisfy {
                (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0)
            }
    }
}

extension OrderRequest {
    /// The request as received, every field optional, so that all problems are reported at once.
    public struct Draft: Hashable, Sendable, Codable {
        public struct Item: Hashable, Sendable, Codable {
            public var product: Int?
            public var quantity: Int?
            public init(product: Int?, quantity: Int?) {
                self.product = product
                self.quantity = quantity
            }
        }
        public struct Person: Hashable, Sendable, Codable {
            public var name: String?
            public var phone: String?
            public var email: String?
            public var address: String?
            public var postcode: String?
            public init(
                name: String? = nil, phone: String? = nil, email: String? = nil, address: String? = nil,
                postcode: String? = nil
            ) {
                self.name = name
                self.phone = phone
                self.email = email
                self.address = address
                self.postcode = postcode
            }
        }

        public var items: [Item]?
        public var customer: Person?
        public var recipient: Person?
        public var deliveryWindow: Int?
        public var cardMessage: String?
        public var hold: String?

        public init(
            items: [Item]?, customer: Person?, recipient: Person?, deliveryWindow: Int?, cardMessage: String?,
            hold: String? = nil
        ) {
            self.items = items
            self.customer = customer
            self.recipient = recipient
            self.deliveryWindow = deliveryWindow
            self.cardMessage = cardMessage
            self.hold = hold
        }

        /// Checks every field and returns the request, or every problem found.
        public func validated() throws(CheckoutError) -> OrderRequest {
            var check = FieldChecker()
            let items = check.items(self.items)
            let customer = Customer(
                name: check.text(self.customer?.name, "customer.name", "Enter your name.", max: Limits.nameLength),
                phone: check.phone(self.customer?.phone, "customer.phone"),
                email: check.email(self.customer?.email, "customer.email")
            )
            let recipient = Recipient(
                name: check.text(
                    self.recipient?.name, "recipient.name", "Enter the recipient's name.", max: Limits.nameLength),
                phone: check.phone(self.recipient?.phone, "recipient.phone"),
                address: check.text(
                    self.recipient?.address, "recipient.address", "Enter the delivery address.", min: 5,
                    max: Limits.addressLength
                ),
                postcode: check.optionalText(
                    self.recipient?.postcode, "recipient.postcode", max: Limits.postcodeLength,
                    tooLong: "A postcode holds at most \(Limits.postcodeLength) characters."
                )
            )
            let hold = self.hold.flatMap { $0.isEmpty ? nil : $0 }
            if let hold, !OrderRequest.isWellFormedHold(hold) {
                check.fail("hold", "This waiting-list link is not valid.")
            }
            var window = 0
            if let id = self.deliveryWindow, id > 0 {
                window = id
            } else {
                check.fail("deliveryWindow", "Choose a delivery window.")
            }
            let message = check.optionalText(
                self.cardMessage, "cardMessage", max: Limits.cardMessageLength,
                tooLong: "A card message holds at most \(Limits.cardMessageLength) characters.", lines: true
            )
            guard check.errors.isEmpty else { throw .validation(check.errors) }
            return OrderRequest(
                items: items, customer: customer, recipient: recipient, deliveryWindow: window, cardMessage: message,
                hold: hold)
        }
    }
}
