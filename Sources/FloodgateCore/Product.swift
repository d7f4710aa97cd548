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
