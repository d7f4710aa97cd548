import FloodgateCore
import Testing

@Suite("Email addresses: one strict check for the storefront, the API and the mailers")
struct EmailAddressTests {
    /// Addresses real customers have.
    static let good = [
        "anna@example.com", "anna.petrova+roses@mail.example.ru", "o'brien@example.ie", "x@y.co", "анна@пример.рф",
        "info@xn--e1afmkfd.xn--p1ai", "first_last-99@sub.domain.example",
    ]

    /// Addresses that could end a line of an SMTP command or a mail header, hide what they say, or mean another
    /// mailbox or several.
    static let bad = [
        "", "anna", "anna@example.com\r\nRCPT TO:<all@example.com>", "anna@example.com\n", "anna@example.com\r",
        "\nanna@example.com",
        "anna\u{0}@example.com", "anna@example.com\u{0}", "anna\u{7F}@example.com", "anna\u{85}@example.com",
        "anna\t@example.com",
        "anna @example.com", " anna@example.com", "anna@example.com ", "anna\u{A0}@example.com",
        "anna\u{2003}@example.com",
        "anna\u{2028}@example.com", "anna\u{2029}@example.com", "anna\u{3000}@example.com", "anna\u{200B}@example.com",
        "anna\u{202E}@example.com", "anna\u{FEFF}@example.com", "anna\u{E000}@example.com", "anna@example.com>",
        "<anna@example.com>",
        "anna@example.com,bob@example.com", "anna@example.com;bob@example.com", "\"anna\"@example.com",
        "anna(x)@example.com",
        "anna@[127.0.0.1]", "anna\\@example.com", "anna:x@example.com", "anna@example", "anna@@example.com",
        "anna@bob@example.com",
        "@example.com", "anna@", "anna@.example.com", "anna@example..com", "anna@example.com.",
    ]

    @Test("Real customers' addresses pass", arguments: Self.good)
    func goodAddressesPass(address: String) {
        #expect(EmailAddress.isValid(address))
    }

    @Test(
        "Line breaks, controls, any white space, invisible marks and specials are refused anywhere", arguments: Self.bad
    )
    func badAddressesAreRefused(address: String) {
        #expect(!EmailAddress.isValid(address), "\(address.unicodeScalars.map { $0.escaped(asASCII: true) }.joined())")
    }

    @Test("At most 254 bytes, counted in UTF-8 as mail servers count")
    func lengthIsInBytes() {
        let domain = "@example.com"
        let longest = String(repeating: "a", count: 254 - domain.utf8.count) + domain
        #expect(longest.utf8.count == 254)
        #expect(EmailAddress.isValid(longest))
        #expect(!EmailAddress.isValid("a" + longest))
        // 122 Cyrillic letters are 244 bytes: with the domain, past the limit though only 134 characters.
        let cyrillic = String(repeating: "я", count: 122) + domain
        #expect(cyrillic.count < 254)
        #expect(!EmailAddress.isValid(cyrillic))
    }

    @Test("Checkout and waiting lists use the same check, after trimming what the customer typed")
    func formsUseTheSameCheck() throws {
        func order(email: String) -> OrderRequest.Draft {
            OrderRequest.Draft(
                items: [.init(product: 1, quantity: 1)],
                customer: .init(name: "Anna", phone: "+7 495 123-45-67", email: email),
                recipient: .init(name: "Olga", phone: "+7 916 555-12-34", address: "Tverskaya 7"), deliveryWindow: 5,
                cardMessage: nil
            )
        }
        func waitlist(email: String) -> WaitlistRequest.Draft {
            WaitlistRequest.Draft(name: "Anna", email: email, phone: "+7 495 123-45-67", cart: nil)
        }
        #expect(try order(email: " anna@example.com\r\n").validated().customer.email == "anna@example.com")
        #expect(try waitlist(email: "\tanna@example.com ").validated(windowID: 1).email == "anna@example.com")
        let refused = "Enter an email address like name@example.com."
        for address in [
            "anna@example.com\r\nBcc: all@example.com", "anna\u{0}@example.com", "anna\u{2028}@example.com",
            "an na@example.com",
        ] {
            #expect(throws: CheckoutError.validation([FieldError(field: "customer.email", message: refused)])) {
                try order(email: address).validated()
            }
            #expect(throws: CheckoutError.validation([FieldError(field: "email", message: refused)])) {
                try waitlist(email: address).validated(windowID: 1)
            }
        }
    }
}
