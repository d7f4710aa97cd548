/// Something a store sells: a bouquet, a farm box.
public struct Product: Hashable, Sendable, Codable {
    public var id: Int
    public var storeID: Int
    public var name: String
    public var description: String
    public var price: Money
    /// A product that is not available is shown but cannot be ordered.
    public var available: Bool
    /// Paths of the product's photos, first one is the main photo (e.g. `/photos/petals/12.svg`).
    public var photos: [String]
    /// What the florist or packer puts in: "Red rose — red — 25".
    public var composition: [CompositionLine]

    public init(
        id: Int, storeID: Int, name: String, description: String, price: Money, available: Bool,
        photos: [String], composition: [CompositionLine]
    ) {
        self.id = id
        self.storeID = storeID
        self.name = name
        self.description = description
        self.price = price
        self.available = available
        self.photos = photos
        self.composition = composition
    }
}

/// One line of a product's composition: an item, its colour and how many of it.
///
/// Written as `item | colour | quantity` in the back-office form and the catalog CSV.
public struct CompositionLine: Hashable, Sendable, Codable {
    public var item: String
    public var colour: String
    public var quantity: Int

    public init(item: String, colour: String, quantity: Int) {
        self.item = item
        self.colour = colour
        self.quantity = quantity
    }
}

extension CompositionLine {
    /// `Red rose | red | 15` (spaces optional); nil unless it has an item and a quantity of 1 to 999.
    public init?(parsing text: String) {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard parts.count == 3, !parts[0].isEmpty, let quantity = Int(parts[2]), (1...999).contains(quantity) else {
            return nil
        }
        self.init(item: parts[0], colour: parts[1], quantity: quantity)
    }

    /// How a person writes it: `Red rose | red | 15`.
    public var written: String { "\(self.item) | \(self.colour) | \(self.quantity)" }
}
