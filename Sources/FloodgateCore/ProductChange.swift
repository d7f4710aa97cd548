/// What an operator changes on a product in a hurry: its price or whether it can be ordered
/// (the last peonies are gone at 11:00 on Feb 14).
public struct ProductChange: Sendable, Decodable, Equatable {
    /// New price in minor units of the store's currency.
    public var price: Int?
    public var available: Bool?

    public init(price: Int? = nil, available: Bool? = nil) {
        self.price = price
        self.available = available
    }

    /// The field errors of this change; empty when it can be applied.
    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        if self.price == nil, self.available == nil {
            errors.append(FieldError(field: "body", message: "Give a new price, available, or both."))
        }
        if let price = self.price, !(0...100_000_000).contains(price) {
            errors.append(FieldError(field: "price", message: "Give the price in minor units, from 0 to 100000000."))
        }
        return errors
    }
}
