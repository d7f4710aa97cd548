/// Collects field errors while a draft is checked, so a customer sees every problem in one answer.
struct FieldChecker {
    private(set) var errors: [FieldError] = []

    mutating func fail(_ field: String, _ message: String) {
        self.errors.append(FieldError(field: field, message: message))
    }

    mutating func text(_ value: String?, _ field: String, _ missing: String, min: Int = 1, max: Int) -> String {
        // Browsers send textarea line breaks as CRLF; store them as plain newlines.
        let trimmed = (value ?? "").replacing("\r\n", with: "\n").trimmingSpaces
        if trimmed.isEmpty {
            self.fail(field, missing)
        } else if trimmed.count < min {
            self.fail(field, "This looks too short: at least \(min) characters.")
        } else if trimmed.count > max {
            self.fail(field, "At most \(max) characters.")
        } else if Self.isOverBytes(trimmed, max: max) {
            self.fail(field, Self.overBytes(max))
        } else if Self.hasControl(trimmed, lines: false) {
            self.fail(field, "Contains characters that cannot be printed.")
        }
        return trimmed
    }

    /// A field that may be left empty (a card message, a postcode): trimmed, at most `max` characters (and
    /// bytes, see ``OrderRequest/Limits``), nothing that cannot be printed; `lines`: line breaks and tabs allowed.
    mutating func optionalText(
        _ value: String?, _ field: String, max: Int, tooLong: String, lines: Bool = false
    ) -> String {
        let trimmed = (value ?? "").replacing("\r\n", with: "\n").trimmingSpaces
        if trimmed.count > max {
            self.fail(field, tooLong)
        } else if Self.isOverBytes(trimmed, max: max) {
            self.fail(field, Self.overBytes(max))
        } else if Self.hasControl(trimmed, lines: lines) {
            self.fail(field, "Contains characters that cannot be printed.")
        }
        return trimmed
    }

    /// Past its length in bytes, though not in characters: characters that carry many combining marks.
    private static func isOverBytes(_ text: String, max: Int) -> Bool {
        text.utf8.count > max * OrderRequest.Limits.bytesPerCharacter
    }

    private static func overBytes(_ max: Int) -> String {
        "At most \(max) characters; letters with several accents and joined emoji count as more than one."
    }

    /// Control characters (NUL among them, which PostgreSQL cannot store); `lines`: but for line feed and tab.
    private static func hasControl(_ text: String, lines: Bool) -> Bool {
        text.unicodeScalars.contains {
            $0.properties.generalCategory == .control && !($0 == "\n" || (lines && $0 == "\t"))
        }
    }

    mutating func phone(_ value: String?, _ field: String) -> String {
        let trimmed = (value ?? "").trimmingSpaces
        let digits = trimmed.filter(\.isASCIIDigit).count
        let allowed = trimmed.allSatisfy { $0.isASCIIDigit || " +-()".contains($0) }
        if trimmed.isEmpty {
            self.fail(field, "Enter a phone number.")
        } else if !allowed || digits < 7 || digits > 15 || trimmed.utf8.count > OrderRequest.Limits.phoneLength {
            self.fail(field, "Enter a phone number of 7 to 15 digits, like +7 495 123-45-67.")
        }
        return trimmed
    }

    /// An email address, trimmed, as ``EmailAddress/isValid(_:)`` accepts it (the same check the mailers make).
    mutating func email(_ value: String?, _ field: String) -> String {
        let trimmed = (value ?? "").trimmingSpaces
        if trimmed.isEmpty {
            self.fail(field, "Enter an email address for the confirmation.")
        } else if !EmailAddress.isValid(trimmed) {
            self.fail(field, "Enter an email address like name@example.com.")
        }
        return trimmed
    }

    mutating func items(_ items: [OrderRequest.Draft.Item]?) -> [OrderRequest.Item] {
        guard let items, !items.isEmpty else {
            self.fail("items", "The order has no items.")
            return []
        }
        guard items.count <= OrderRequest.Limits.items else {
            self.fail("items", "An order holds at most \(OrderRequest.Limits.items) different products.")
            return []
        }
        var merged: [OrderRequest.Item] = []
        for (index, item) in items.enumerated() {
            guard let product = item.product, product > 0 else {
                self.fail("items[\(index)].product", "Name a product by its id.")
                continue
            }
            guard let quantity = item.quantity, (1...Cart.maxQuantity).contains(quantity) else {
                self.fail("items[\(index)].quantity", "Quantity must be between 1 and \(Cart.maxQuantity).")
                continue
            }
            if let existing = merged.firstIndex(where: { $0.product == product }) {
                merged[existing].quantity = min(Cart.maxQuantity, merged[existing].quantity + quantity)
            } else {
                merged.append(OrderRequest.Item(product: product, quantity: quantity))
            }
        }
        return merged
    }
}

extension Character {
    public var isASCIIDigit: Bool { self.isASCII && self.isNumber }
}

extension String {
    /// The string without leading and trailing white space (Core avoids Foundation).
    public var trimmingSpaces: String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
