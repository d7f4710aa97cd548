import FloodgateCore
import Testing

@Suite("Money and the cart")
struct MoneyAndCartTests {
    @Test("Prices read the way customers in each country expect")
    func moneyIsFormattedPerCurrency() {
        #expect(Money(minorUnits: 690_000, currency: "RUB").formatted == "6\u{202F}900\u{00A0}₽")
        #expect(Money(minorUnits: 2_490_050, currency: "RUB").formatted == "24\u{202F}900,50\u{00A0}₽")
        #expect(Money(minorUnits: 4_550, currency: "CHF").formatted == "CHF\u{00A0}45.50")
        #expect(Money(minorUnits: 123_456_705, currency: "CHF").formatted == "CHF\u{00A0}1’234’567.05")
        #expect(Money(minorUnits: 950, currency: "RUB").times(3) == Money(minorUnits: 2_850, currency: "RUB"))
    }

    @Test("A cart merges repeated products and survives its cookie form")
    func cartRoundTrips() throws {
        var cart = Cart()
        try cart.add(productID: 12, quantity: 2)
        try cart.add(productID: 7, quantity: 1)
        try cart.add(productID: 12, quantity: 3)
        #expect(cart.encoded == "12x5.7x1")
        #expect(cart.itemCount == 6)
        #expect(Cart(encoded: cart.encoded) == cart)
        try cart.set(productID: 12, quantity: 0)
        #expect(cart.encoded == "7x1")
    }

    @Test("A cart refuses silly quantities and drops a tampered cookie's junk")
    func cartLimits() throws {
        var cart = Cart()
        #expect(throws: CartError.quantityOutOfRange) { try cart.add(productID: 1, quantity: 0) }
        #expect(throws: CartError.quantityOutOfRange) { try cart.add(productID: 1, quantity: 100) }
        #expect(throws: CartError.quantityOutOfRange) { try cart.set(productID: 1, quantity: -1) }
        for id in 1...Cart.maxLines { try cart.add(productID: id, quantity: 1) }
        #expect(throws: CartError.tooManyLines) { try cart.add(productID: 999, quantity: 1) }
        #expect(Cart(encoded: "3x2.abc.-1x4.5x0.6x500.9x1").encoded == "3x2.9x1")
    }
}
