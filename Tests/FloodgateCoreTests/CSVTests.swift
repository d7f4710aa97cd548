import FloodgateCore
import Testing

@Suite("CSV exports opened in a spreadsheet")
struct CSVTests {
    @Test(
        "A field a spreadsheet would run as a formula gets an apostrophe, by its first scalar",
        arguments: [
            "=HYPERLINK(\"http://evil.example\")", "+7 495 123-45-67", "-2+3", "@SUM(A1)",
            "\t=1+1", "\r=1+1", "\r\n=1+1",
            // One Character each ("=" or "+" with a combining mark), yet the spreadsheet sees the "=" or "+".
            "=\u{301}HYPERLINK(\"x\")", "+\u{20DD}1",
        ]
    )
    func formulaIsProtected(value: String) throws {
        #expect(CSV.looksLikeFormula(value))
        let line = CSV.line([value])
        let field = try #require(try CSV.parse(line).first?.fields.first)
        #expect(field.unicodeScalars.first == "'", "\(line.debugDescription)")
        #expect(CSV.unprotected(field) == value, "the import takes the apostrophe off again")
    }

    @Test(
        "Ordinary text is written as it is",
        arguments: ["Anna Petrova", "'quoted", "", "Ölga", "12 roses", " =not first"])
    func plainTextIsLeftAlone(value: String) {
        #expect(!CSV.looksLikeFormula(value))
        #expect(CSV.line([value]) == value + "\r\n")
        #expect(CSV.unprotected(value) == value)
    }

    @Test("A quote with a combining mark after it is doubled, so it cannot end the field and start a cell")
    func quoteWithCombiningMarkStaysInside() throws {
        let name = "Anna\"\u{301},=HYPERLINK(\"http://evil.example\")"
        let line = CSV.line([name, "next"])
        let records = try CSV.parse(line)
        #expect(records.count == 1)
        #expect(records.first?.fields == [name, "next"], "\(line.debugDescription)")
    }

    @Test("A line break written as CRLF quotes the field")
    func crlfIsQuoted() throws {
        let line = CSV.line(["Tverskaya 7\r\nflat 12", "x"])
        #expect(line.hasPrefix("\""))
        #expect(try CSV.parse(line).first?.fields.count == 2)
    }

    @Test("The catalog import takes off the export's apostrophe, whatever the formula's first scalar")
    func catalogRoundTrip() throws {
        let product = Product(
            id: 7, storeID: 1, name: "\t=cmd|' /C calc'!A0", description: "+\u{301} fresh",
            price: Money(minorUnits: 450_000, currency: "RUB"),
            available: true, photos: [], composition: []
        )
        let text = CatalogCSV.export([product])
        #expect(text.contains(",'\t=cmd"), "\(text.debugDescription)")
        let rows = try CatalogCSV.parse(text, storeID: 1, currency: "RUB", knownIDs: [7])
        #expect(rows.first?.product.description == "+\u{301} fresh")
    }
}
