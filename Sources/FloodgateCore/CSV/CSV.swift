/// Comma-separated values as spreadsheets write them (RFC 4180): quoted fields may hold commas, quotes
/// (doubled) and line breaks; lines end in CRLF or LF.
public enum CSV {
    /// A record and the line of the file it starts on (1-based), for error messages a person can act on.
    public struct Record: Hashable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// Why a file could not be read at all.
    public struct SyntaxError: Error, Hashable, Sendable {
        public var line: Int
        public var message: String
    }

    /// Every record of `text`; blank lines are skipped. A byte-order mark at the start is ignored.
    public static func parse(_ text: String) throws(SyntaxError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var quoted = false
        var afterQuote = false
        var iterator = Array(text.unicodeScalars.drop { $0 == "\u{FEFF}" }).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            quoted = false
                            afterQuote = true
                            pending = following
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
                afterQuote = false
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
            default:
                if afterQuote {
                    throw SyntaxError(line: line, message: "Text after a closing quote; put the whole field in quotes.")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw SyntaxError(line: recordLine, message: "A quote is opened and never closed.") }
        endRecord()
        return records
    }

    /// The first scalars that make a spreadsheet read a cell as a formula: `=`, `+`, `-`, `@`, and TAB and CR,
    /// which spreadsheets skip before they look for one of the others.
    public static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether a spreadsheet could run `value` as a formula.
    ///
    /// It looks at the first Unicode scalar, not the first `Character`: `=` followed by a combining mark, or CR
    /// followed by LF, is one character that is neither `=` nor CR, yet a spreadsheet still sees the `=` or CR.
    public static func looksLikeFormula(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first else { return false }
        return Self.formulaStarts.contains(first)
    }

    /// A field as the export wrote it, with the apostrophe that protected a formula-like value taken off again.
    public static func unprotected(_ field: String) -> String {
        guard field.unicodeScalars.first == "'" else { return field }
        let rest = String(field.unicodeScalars.dropFirst())
        return Self.looksLikeFormula(rest) ? rest : field
    }

    /// One line of CSV (with CRLF) for these fields, quoted where needed.
    ///
    /// `protectFormulas`: a field a spreadsheet would run as a formula (``looksLikeFormula(_:)``) gets a
    /// leading apostrophe — customers type these fields, and an export is opened in a spreadsheet.
    public static func line(_ fields: [String], protectFormulas: Bool = true) -> String {
        fields.map { raw in
            var value = raw
            if protectFormulas, Self.looksLikeFormula(value) { value = "'" + value }
            // By scalar, as a spreadsheet reads: a quote with a combining mark after it is one `Character` that is not
            // a quote, and left undoubled it would end the field early (and start a cell of the customer's choosing).
            guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
                return value
            }
            var quoted = String.UnicodeScalarView()
            quoted.append("\"")
            for scalar in value.unicodeScalars {
                if scalar == "\"" { quoted.append("\"") }
                quoted.append(scalar)
            }
            quoted.append("\"")
            return String(quoted)
        }.joined(separator: ",") + "\r\n"
    }
}
