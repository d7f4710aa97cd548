/// The catalog as a spreadsheet: export, and import that checks every row before anything is applied.
///
/// Columns: `id` (empty for a new product), `name`, `description`, `price` (in the currency's main unit,
/// `4500.00`), `available` (`yes`/`no`), `composition` (`Red rose|red|15; Eucalyptus|green|3`), `photos`
/// (paths separated by spaces).
public enum CatalogCSV {
    public static let header = ["id", "name", "description", "price", "available", "composition", "photos"]

    /// A problem in one row (or the header: line 1), named so the owner can find and fix it.
    public struct RowError: Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: String
        public var message: String

        public init(line: Int, column: String, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }

        public var description: String {
            "Line \(self.line)" + (self.column.isEmpty ? "" : ", \(self.column)") + ": \(self.message)"
        }
    }

    /// Every problem of a file that cannot be imported.
    public struct Problems: Error, Hashable, Sendable {
        public var rows: [RowError]
    }

    /// A product read from the file, and the line it is on.
    public struct Row: Hashable, Sendable {
        public var line: Int
        public var product: Product
    }

    public static func export(_ products: [Product]) -> String {
        CSV.line(Self.header)
            + products.map { product in
                CSV.line([
                    String(product.id), product.name, product.description, Self.price(product.price.minorUnits),
                    product.available ? "yes" : "no",
                    product.composition.map(\.written).joined(separator: "; "), product.photos.joined(separator: " "),
                ])
            }.joined()
    }

    /// Reads a file into products for `storeID` (id 0: new), or every problem found, by line.
    public static func parse(
        _ text: String, storeID: Int, currency: String, knownIDs: Set<Int>
    ) throws(Problems) -> [Row] {
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text)
        } catch {
            throw Problems(rows: [RowError(line: error.line, column: "", message: error.message)])
        }
        guard let header = records.first else {
            throw Problems(rows: [RowError(line: 1, column: "", message: "The file is empty.")])
        }
        let names = header.fields.map { $0.trimmingSpaces.lowercased() }
        let missing = Self.header.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw Problems(rows: [
                RowError(
                    line: header.line, column: "",
                    message: "Missing columns: \(missing.joined(separator: ", ")). Start from an export.")
            ])
        }
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var errors: [RowError] = []
        var products: [Row] = []
        var seen: Set<Int> = []
        for record in records.dropFirst() {
            func value(_ column: String) -> String {
                let position = index[column]!
                let raw = position < record.fields.count ? record.fields[position] : ""
                // Undo the export's protection of formula-like text.
                return CSV.unprotected(raw).trimmingSpaces
            }
            func fail(_ column: String, _ message: String) {
                errors.append(RowError(line: record.line, column: column, message: message))
            }
            if record.fields.count > names.count {
                fail("", "This row has \(record.fields.count) fields; the header has \(names.count).")
            }
            var id = 0
            let idText = value("id")
            if !idText.isEmpty {
                if let number = Int(idText), knownIDs.contains(number) {
                    id = number
                    if !seen.insert(number).inserted { fail("id", "Product \(number) appears twice in the file.") }
                } else {
                    fail("id", "There is no product \(idText) in this shop; leave id empty to add a new product.")
                }
            }
            let name = value("name")
            if name.isEmpty {
                fail("name", "A product needs a name.")
            } else if name.count > 200 {
                fail("name", "At most 200 characters.")
            }
            let description = value("description")
            if description.count > 4_000 { fail("description", "At most 4000 characters.") }
            let price = Self.minorUnits(value("price"))
            if price == nil { fail("price", "Write the price like 4500 or 4500.50.") }
            var available = true
            switch value("available").lowercased() {
            case "yes", "true", "1", "": available = true
            case "no", "false", "0": available = false
            default: fail("available", "Write yes or no.")
            }
            var composition: [CompositionLine] = []
            for part in value("composition").split(separator: ";").map(String.init) {
                guard let line = CompositionLine(parsing: part) else {
                    fail(
                        "composition",
                        "Write each part as item|colour|quantity, separated by semicolons: “\(part.trimmingSpaces)”.")
                    continue
                }
                composition.append(line)
            }
            let photos = value("photos").split(separator: " ").map(String.init)
            if photos.contains(where: { !$0.hasPrefix("/photos/") || $0.contains("..") }) {
                fail("photos", "Photos are paths starting with /photos/.")
            }
            products.append(
                Row(
                    line: record.line,
                    product: Product(
                        id: id, storeID: storeID, name: name, description: description,
                        price: Money(minorUnits: price ?? 0, currency: currency), available: available, photos: photos,
                        composition: composition
                    )))
        }
        if products.isEmpty, errors.isEmpty {
            errors.append(RowError(line: header.line, column: "", message: "The file has a header and no products."))
        }
        guard errors.isEmpty else { throw Problems(rows: errors) }
        return products
    }

    /// `4500`, `4500.5`, `4500.50` (or with a comma) in minor units; nil for anything else.
    public static func minorUnits(_ text: String) -> Int? {
        let cleaned = text.replacing(",", with: ".").filter { $0 != " " }
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let major = Int(parts[0]), major >= 0, major <= 1_000_000 else {
            return nil
        }
        guard parts.count == 2 else { return major * 100 }
        let fraction = parts[1]
        guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit), let minor = Int(fraction) else {
            return nil
        }
        return major * 100 + (fraction.count == 1 ? minor * 10 : minor)
    }

    /// `4500.00`
    public static func price(_ minorUnits: Int) -> String {
        let cents = minorUnits % 100
        return "\(minorUnits / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
