import FloodgateCore
import Testing

@Suite("Text limits hold in bytes as well as characters")
struct FieldBytesTests {
    static func draft(name: String = "Anna", message: String? = nil, postcode: String? = nil) -> OrderRequest.Draft {
        OrderRequest.Draft(
            items: [.init(product: 1, quantity: 1)],
            customer: .init(name: name, phone: "+7 495 123-45-67", email: "anna@example.com"),
            recipient: .init(
                name: "Olga", phone: "+41 44 123 45 67", address: "Tverskaya 7, flat 12", postcode: postcode),
            deliveryWindow: 5, cardMessage: message
        )
    }

    static let bytesMessage =
        "At most 100 characters; letters with several accents and joined emoji count as more than one."

    @Test("A name at its length in four-byte characters is taken; one character carrying 4,000 bytes of accents is not")
    func namesAreBoundedInBytes() throws {
        let emoji = String(repeating: "😀", count: OrderRequest.Limits.nameLength)
        #expect(try Self.draft(name: emoji).validated().customer.name == emoji)
        let heavy = "a" + String(repeating: "\u{301}", count: 2_000)
        #expect(heavy.count == 1)
        #expect(throws: CheckoutError.validation([FieldError(field: "customer.name", message: Self.bytesMessage)])) {
            try Self.draft(name: heavy).validated()
        }
    }

    @Test(
        "A card message keeps its line breaks and tabs; NUL and other control characters are refused, as in a postcode")
    func controlCharactersAreRefused() throws {
        #expect(
            try Self.draft(message: "Dear Olga,\r\n\thappy birthday").validated().cardMessage
                == "Dear Olga,\n\thappy birthday")
        let unprintable = FieldError(field: "cardMessage", message: "Contains characters that cannot be printed.")
        #expect(throws: CheckoutError.validation([unprintable])) { try Self.draft(message: "Love\u{0}").validated() }
        #expect(
            throws: CheckoutError.validation([
                FieldError(field: "recipient.postcode", message: "Contains characters that cannot be printed.")
            ])
        ) {
            try Self.draft(postcode: "101\u{0}000").validated()
        }
    }

    @Test("A waiting-list token is hex digits only, at most 64 of them")
    func holdTokens() {
        #expect(OrderRequest.isWellFormedHold("0123456789abcdefABCDEF"))
        #expect(OrderRequest.isWellFormedHold(String(repeating: "f", count: 64)))
        for bad in ["", String(repeating: "f", count: 65), "ab\u{0}cd", "１２３", "abc-def"] {
            #expect(!OrderRequest.isWellFormedHold(bad), "\(bad.debugDescription)")
        }
    }

    @Test(
        "A cancellation reason is trimmed; past 300 characters or 1,200 bytes, or with control characters, it is refused"
    )
    func cancellationReasons() throws {
        #expect(try StatusChangeError.checked(reason: "  Wrong address  ") == "Wrong address")
        let longest = String(repeating: "🥀", count: StatusChangeError.reasonLength)
        #expect(try StatusChangeError.checked(reason: longest) == longest)
        for bad in [
            String(repeating: "ж", count: 301), "x" + String(repeating: "\u{301}", count: 1_500), "Wrong\u{0}address",
            "two\nlines",
        ] {
            #expect(throws: StatusChangeError.reasonInvalid, "\(bad.prefix(10).debugDescription)") {
                try StatusChangeError.checked(reason: bad)
            }
        }
    }
}
