import FloodgateCore
import Testing

/// Pricing and checking an order is pure: the same request, products, tour, zones and time give the same checkout
/// or the same refusal, with no database.
@Suite("Checkout: an order priced and checked")
struct CheckoutTests {
    static let peonies = Product(
        id: 1, storeID: 7, name: "Peonies", description: "", price: Money(minorUnits: 4_500, currency: "EUR"),
        available: true,
        photos: ["/photos/meadow/1.jpg"], composition: []
    )
    static let tulips = Product(
        id: 2, storeID: 7, name: "Tulips", description: "", price: Money(minorUnits: 2_000, currency: "EUR"),
        available: false, photos: [],
        composition: []
    )
    static let tour = DeliveryWindow(
        id: 5, storeID: 7, date: "2027-02-14", from: "10:00", to: "14:00", capacity: 10, reserved: 3)
    static let north = Zone(id: 11, storeID: 7, name: "North", postcodes: ["101*"], fee: 500)
    static let south = Zone(id: 12, storeID: 7, name: "South", postcodes: ["115*"], fee: 700)
    static let morning = LocalTime(date: "2027-02-13", time: "18:00")

    static func request(
        items: [(Int, Int)] = [(1, 2)], postcode: String? = nil, hold: String? = nil
    ) throws -> OrderRequest {
        try OrderRequest.Draft(
            items: items.map { .init(product: $0.0, quantity: $0.1) },
            customer: .init(name: "Anna", phone: "+7 495 123-45-67", email: "anna@example.com"),
            recipient: .init(name: "Olga", phone: "+7 916 555-12-34", address: "Tverskaya 7", postcode: postcode),
            deliveryWindow: 5,
            cardMessage: nil, hold: hold
        ).validated()
    }

    /// The checkout's refusal; nil when it is accepted.
    static func refusal(_ body: () throws -> Checkout) -> CheckoutError? {
        do {
            _ = try body()
            return nil
        } catch let error as CheckoutError {
            return error
        } catch {
            Issue.record("not a customer's error: \(error)")
            return nil
        }
    }

    @Test("A cart is priced from the catalog as it is, and the order carries its tour and total")
    func priced() throws {
        let checkout = try Checkout(
            try Self.request(), products: [Self.peonies], window: Self.tour, zones: [], at: Self.morning)
        #expect(
            checkout.lines == [
                OrderLine(
                    product: 1, name: "Peonies", unitPrice: 4_500, quantity: 2, composition: [],
                    photo: "/photos/meadow/1.jpg")
            ])
        #expect(checkout.zone == nil && checkout.deliveryFee == 0)
        let store = Store(
            id: 7, slug: "meadow", name: "Meadow", tagline: "", currency: "EUR", timeZone: "Europe/Berlin",
            orderPrefix: "ME", notifyEmail: "s@m.example"
        )
        let order = checkout.order(for: try Self.request(), in: store, token: "t", createdAt: 42)
        #expect(order.total == Money(minorUnits: 9_000, currency: "EUR"))
        #expect(order.deliveryWindow == WindowSnapshot(Self.tour) && order.createdAt == 42 && order.number.isEmpty)
    }

    @Test("Unknown products, then sold-out ones, are refused before the tour is looked at")
    func products() throws {
        let request1 = try Self.request(items: [(9, 1)])
        let unknown = Self.refusal {
            try Checkout(request1, products: [Self.peonies], window: nil, zones: [], at: Self.morning)
        }
        #expect(
            unknown
                == .validation([FieldError(field: "items[0].product", message: "There is no product 9 in this shop.")]))
        let request2 = try Self.request(items: [(2, 1)])
        let soldOut = Self.refusal {
            try Checkout(request2, products: [Self.tulips], window: nil, zones: [], at: Self.morning)
        }
        #expect(soldOut == .productUnavailable(["Tulips"]))
    }

    @Test(
        "A tour that is not the store's, or that takes no more orders, is refused; a held place is kept past the cut-off"
    )
    func tour() throws {
        let request3 = try Self.request()
        let missing = Self.refusal {
            try Checkout(request3, products: [Self.peonies], window: nil, zones: [], at: Self.morning)
        }
        #expect(
            missing
                == .validation([
                    FieldError(field: "deliveryWindow", message: "There is no such delivery window in this shop.")
                ]))
        let late = LocalTime(date: "2027-02-14", time: "10:00")
        let request4 = try Self.request()
        let closed = Self.refusal {
            try Checkout(request4, products: [Self.peonies], window: Self.tour, zones: [], at: late)
        }
        #expect(
            closed
                == .validation([
                    FieldError(
                        field: "deliveryWindow",
                        message: "This delivery window takes no more orders; choose a later one.")
                ]))
        let held = try Checkout(
            try Self.request(hold: "abc"), products: [Self.peonies], window: Self.tour, zones: [], at: late)
        #expect(held.window == Self.tour)
    }

    @Test("A tour to some areas needs a postcode it serves; its zone's fee is added")
    func zones() throws {
        var tour = Self.tour
        tour.zoneIDs = [11]
        #expect(Checkout.needsZones(tour) && !Checkout.needsZones(Self.tour) && !Checkout.needsZones(nil))
        let zones = [Self.north, Self.south]
        let checkout = try Checkout(
            try Self.request(postcode: "101000"), products: [Self.peonies], window: tour, zones: zones, at: Self.morning
        )
        #expect(checkout.zone == Self.north && checkout.deliveryFee == 500)
        let request5 = try Self.request()
        let noPostcode = Self.refusal {
            try Checkout(request5, products: [Self.peonies], window: tour, zones: zones, at: Self.morning)
        }
        #expect(noPostcode.map { "\($0)" }?.contains("recipient.postcode") == true)
        let request6 = try Self.request(postcode: "115000")
        let otherZone = Self.refusal {
            try Checkout(request6, products: [Self.peonies], window: tour, zones: zones, at: Self.morning)
        }
        #expect(
            otherZone
                == .validation([
                    FieldError(
                        field: "deliveryWindow",
                        message: "This window does not deliver to South; choose a window for your area.")
                ]))
        let request7 = try Self.request(postcode: "999999")
        let nowhere = Self.refusal {
            try Checkout(request7, products: [Self.peonies], window: tour, zones: zones, at: Self.morning)
        }
        #expect(
            nowhere
                == .validation([
                    FieldError(
                        field: "deliveryWindow",
                        message: "We do not deliver to 999999 in this window; choose another window.")
                ]))
    }
}
