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
        } else if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            self.fail(field, "Contains characters that cannot be printed.")
        }
        return trimmed
    }

    mutating func phone(_ value: String?, _ field: String) -> String {
        let trimmed = (value ?? "").trimmingSpaces
        let digits = trimmed.filter(\.isASCIIDigit).count
        let allowed = trimmed.allSatisfy { $0.isASCIIDigit || " +-()".contains($0) }
        if trimmed.isEmpty {
            self.fail(field, "Enter a phone number.")
        } else if !allowed || digits < 7 || digits > 15 {
            self.fail(field, "Enter a phone number of 7 to 15 digits, like +7 495 123-45-67.")
        }
        return trimmed
    }

    mutating func email(_ value: String?, _ field: String) -> String {
        let trimmed = (value ?? "").trimmingSpaces
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let valid =
            parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !trimmed.contains(" ") && trimmed.count <= OrderRequest.Limits.emailLength
        if trimmed.isEmpty {
            self.fail(field, "Enter an email address for the confirmation.")
        } else if !valid {
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
