/// The one check of an email address, shared by everything that takes an address from a customer (checkout
/// and the API through ``FieldChecker``, waiting lists) and by the mailers that hand one to a mail server.
///
/// An address is one `@` between a non-empty local part and a domain of two or more non-empty dot-separated
/// labels, at most ``OrderRequest/Limits/emailLength`` UTF-8 bytes, with nothing that could end a line or a
/// field of an SMTP command or a mail header, or hide what is written:
/// - no white space of any kind: space, tab, CR, LF, no-break and the other Unicode spaces, line and
///   paragraph separators;
/// - no control character (NUL, DEL, the C1 controls), no invisible formatting character (zero-width and
///   bidirectional marks), no private-use or unassigned code point;
/// - none of `< > ( ) [ ] , ; : \ "`, which outside quotes (that customers' addresses never need) would end
///   the address, make it a list, or change which mailbox is meant.
///
/// The text is checked as it stands: callers trim what a person typed before asking.
public enum EmailAddress {
    /// Whether `text`, exactly as it is, is an address Floodgate accepts and sends mail to.
    public static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= OrderRequest.Limits.emailLength,
            text.unicodeScalars.allSatisfy(Self.isAllowed)
        else {
            return false
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }

    /// RFC 5322's specials but for `@` and `.`.
    private static let specials: Set<Unicode.Scalar> = ["<", ">", "(", ")", "[", "]", ",", ";", ":", "\\", "\""]

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isWhitespace || Self.specials.contains(scalar) { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate,
            .unassigned:
            return false
        default:
            return true
        }
    }
}
