import SQLKit

/// SQL written with PostgreSQL's numbered placeholders (`$1`, `$2`, …), for statements that run both through
/// SQLKit (either engine, a bind of the dialect's own per placeholder) and as PostgreSQL prepared statements,
/// whose text is fixed. So such a statement is written once. (A `$` with digits inside a string literal would
/// be taken for a placeholder too: write such text as a bind.)
struct NumberedSQL: Sendable {
    private enum Part: Sendable {
        case text(String)
        /// The placeholder's number, from 1.
        case placeholder(Int)
    }

    private let parts: [Part]

    init(_ sql: String) {
        var parts: [Part] = []
        var text = ""
        var rest = Substring(sql)
        while let dollar = rest.firstIndex(of: "$") {
            let digits = rest[rest.index(after: dollar)...].prefix(while: \.isASCIIDigit)
            guard let number = Int(digits) else {
                text += rest[...dollar]
                rest = rest[rest.index(after: dollar)...]
                continue
            }
            text += rest[..<dollar]
            parts += [.text(text), .placeholder(number)]
            text = ""
            rest = rest[digits.endIndex...]
        }
        self.parts = parts + [.text(text + rest)]
    }

    /// The text as written, for a prepared statement of its own.
    func text() -> String {
        let highest = self.parts.reduce(0) { highest, part in
            if case .placeholder(let number) = part { max(highest, number) } else { highest }
        }
        return self.text(placeholders: (0..<highest).map { "$\($0 + 1)" })
    }

    /// The text inside a larger prepared statement, whose own placeholders `$1`, `$2`, … are `placeholders[0]`,
    /// `placeholders[1]`, …
    func text(placeholders: [String]) -> String {
        self.parts.map { part in
            switch part {
            case .text(let text): text
            case .placeholder(let number): placeholders[number - 1]
            }
        }.joined()
    }

    /// The statement for SQLKit, `values[0]` bound at `$1`, and so on.
    func binding(_ values: [any Encodable & Sendable]) -> some SQLExpression {
        Bound(parts: self.parts, values: values)
    }

    private struct Bound: SQLExpression {
        let parts: [Part]
        let values: [any Encodable & Sendable]

        func serialize(to serializer: inout SQLSerializer) {
            for part in self.parts {
                switch part {
                case .text(let text): serializer.write(text)
                case .placeholder(let number): serializer.write(bind: self.values[number - 1])
                }
            }
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self.isASCII && self.isNumber }
}
