import FloodgateCore
import Testing

@Suite("Order rules")
struct OrderRulesTests {
    static func draft(
        items: [OrderRequest.Draft.Item]? = [.init(product: 1, quantity: 2)], email: String? = "anna@example.com",
        phone: String? = "+7 (495) 123-45-67", address: String? = "Tverskaya 7, flat 12", window: Int? = 5,
        message: String? = nil
    ) -> OrderRequest.Draft {
        OrderRequest.Draft(
            items: items, customer: .init(name: " Anna ", phone: phone, email: email),
            recipient: .init(name: "Olga", phone: "+41 44 123 45 67", address: address), deliveryWindow: window,
            cardMessage: message
        )
    }

    @Test("A good draft becomes a trimmed request and merges repeated products")
    func goodDraftIsAccepted() throws {
        let request = try Self.draft(items: [.init(product: 1, quantity: 2), .init(product: 1, quantity: 3)])
            .validated()
        #expect(request.customer.name == "Anna")
        #expect(request.items == [OrderRequest.Item(product: 1, quantity: 5)])
        #expect(request.cardMessage == "")
        let multiline = try Self.draft(address: "Tverskaya 7\r\nflat 12", message: "Dear Olga,\r\nhappy birthday")
            .validated()
        #expect(multiline.recipient.address == "Tverskaya 7\nflat 12")
        #expect(multiline.cardMessage == "Dear Olga,\nhappy birthday")
    }

    @Test("Every problem of a draft is reported at once, by field")
    func everyProblemIsReported() {
        let draft = Self.draft(
            items: [.init(product: nil, quantity: 1), .init(product: 2, quantity: 0)], email: "nope", phone: "12",
            address: "x", window: nil, message: String(repeating: "a", count: 501))
        #expect(
            throws: CheckoutError.validation([
                FieldError(field: "items[0].product", message: "Name a product by its id."),
                FieldError(field: "items[1].quantity", message: "Quantity must be between 1 and 99."),
                FieldError(
                    field: "customer.phone", message: "Enter a phone number of 7 to 15 digits, like +7 495 123-45-67."),
                FieldError(field: "customer.email", message: "Enter an email address like name@example.com."),
                FieldError(field: "recipient.address", message: "This looks too short: at least 5 characters."),
                FieldError(field: "deliveryWindow", message: "Choose a delivery window."),
                FieldError(field: "cardMessage", message: "A card message holds at most 500 characters."),
            ])
        ) { try draft.validated() }
    }

    @Test("Pricing snapshots the catalog and tells unknown from sold-out products")
    func pricingUsesTheCatalog() throws {
        let rose = Product(
            id: 1, storeID: 1, name: "Roses", description: "", price: Money(minorUnits: 350_000, currency: "RUB"),
            available: true,
            photos: ["/photos/1.svg"], composition: [CompositionLine(item: "Red rose", colour: "red", quantity: 25)]
        )
        var soldOut = rose
        soldOut.id = 2
        soldOut.name = "Peonies"
        soldOut.available = false
        let catalog = [1: rose, 2: soldOut]

        let lines = try OrderLine.price([.init(product: 1, quantity: 2)], catalog: catalog)
        #expect(
            lines == [
                OrderLine(
                    product: 1, name: "Roses", unitPrice: 350_000, quantity: 2, composition: rose.composition,
                    photo: "/photos/1.svg")
            ])
        #expect(lines[0].lineTotal == 700_000)
        #expect(throws: CheckoutError.productUnavailable(["Peonies"])) {
            try OrderLine.price([.init(product: 2, quantity: 1)], catalog: catalog)
        }
        #expect(
            throws: CheckoutError.validation([
                FieldError(field: "items[0].product", message: "There is no product 9 in this shop.")
            ])
        ) {
            try OrderLine.price([.init(product: 9, quantity: 1), .init(product: 2, quantity: 1)], catalog: catalog)
        }
    }

    @Test("A delivery window closes when it starts, in the store's local time")
    func windowOpenness() {
        let window = DeliveryWindow(
            id: 1, storeID: 1, date: "2027-02-14", from: "12:00", to: "15:00", capacity: 10, reserved: 12)
        #expect(window.remaining == 0)
        #expect(window.isOpen(atLocalDate: "2027-02-13", time: "23:59"))
        #expect(window.isOpen(atLocalDate: "2027-02-14", time: "11:59"))
        #expect(!window.isOpen(atLocalDate: "2027-02-14", time: "12:00"))
        #expect(!window.isOpen(atLocalDate: "2027-02-15", time: "08:00"))
    }
}

@Suite("Order numbers")
struct OrderNumberTests {
    @Test("A number carries the store's prefix and reads back to its row only in that store")
    func numbersRoundTrip() {
        #expect(OrderNumber.make(prefix: "PE", id: 42) == "PE-1042")
        #expect(OrderNumber.id(in: "PE-1042", prefix: "PE") == 42)
        #expect(OrderNumber.id(in: "PE-1042", prefix: "GB") == nil)
        #expect(OrderNumber.id(in: "PE-1000", prefix: "PE") == nil)
        #expect(OrderNumber.id(in: "PE-abc", prefix: "PE") == nil)
        #expect(OrderNumber.id(in: "PE1042", prefix: "PE") == nil)
    }
}
