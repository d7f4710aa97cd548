/// A visitor's cart: which products and how many of each, in the order they were added.
///
/// The cart holds no prices: prices are read from the catalog when it is shown and again, inside the
/// order transaction, when it is checked out.
public struct Cart: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var productID: Int
        public var quantity: Int
    }

    /// Most of one product a cart line may hold.
    public static let maxQuantity = 99
    /// Most distinct products in one cart.
    public static let maxLines = 30

    public private(set) var lines: [Line]

    public init(lines: [Line] = []) {
        self.lines = lines
    }

    public var isEmpty: Bool { self.lines.isEmpty }
    public var itemCount: Int { self.lines.reduce(0) { $0 + $1.quantity } }

    /// Adds `quantity` of a product, capped at ``maxQuantity``.
    public mutating func add(productID: Int, quantity: Int) throws(CartError) {
        guard (1...Self.maxQuantity).contains(quantity) else { throw .quantityOutOfRange }
        if let index = self.lines.firstIndex(where: { $0.productID == productID }) {
            self.lines[index].quantity = min(Self.maxQuantity, self.lines[index].quantity + quantity)
        } else {
            guard self.lines.count < Self.maxLines else { throw .tooManyLines }
            self.lines.append(Line(productID: productID, quantity: quantity))
        }
    }

    /// Sets a line's quantity; zero removes the line.
    public mutating func set(productID: Int, quantity: Int) throws(CartError) {
        guard (0...Self.maxQuantity).contains(quantity) else { throw .quantityOutOfRange }
        if quantity == 0 {
            self.remove(productID: productID)
        } else if let index = self.lines.firstIndex(where: { $0.productID == productID }) {
            self.lines[index].quantity = quantity
        }
    }

    public mutating func remove(productID: Int) {
        self.lines.removeAll { $0.productID == productID }
    }

    /// The cart as a compact cookie value: `12x2.7x1`.
    public var encoded: String {
        self.lines.map { "\($0.productID)x\($0.quantity)" }.joined(separator: ".")
    }

    /// Reads a cookie value; anything malformed is dropped rather than trusted.
    public init(encoded: String) {
        var cart = Cart()
        for part in encoded.split(separator: ".").prefix(Self.maxLines) {
            let fields = part.split(separator: "x")
            guard fields.count == 2, let id = Int(fields[0]), let quantity = Int(fields[1]), id > 0 else { continue }
            try? cart.add(productID: id, quantity: quantity)
        }
        self = cart
    }
}

/// Why a cart change was refused.
public enum CartError: Error, Hashable, Sendable {
    case quantityOutOfRange
    case tooManyLines

    public var message: String {
        switch self {
        case .quantityOutOfRange: "Quantity must be between 1 and \(Cart.maxQuantity)."
        case .tooManyLines: "A cart holds at most \(Cart.maxLines) different products."
        }
    }
}
