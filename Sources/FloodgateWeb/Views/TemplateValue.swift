import Foundation
import Mustache

/// A page model as its template sees it: each struct's fields read once into a dictionary.
///
/// Mustache finds a plain struct's field by reflecting the whole struct on every lookup (`Mirror`, every field's
/// type demangled each time), and a name missing from a row is looked up again in each enclosing struct: a
/// 50-row order list would spend half its CPU there. Reading every struct once keeps exactly
/// what the template sees — the same values, a `nil` field still missing (so the lookup climbs as before),
/// arrays still arrays — at a fraction of the cost.
final class TemplateValue: MustacheParent {
    private let fields: [String: Any]

    private init(fields: [String: Any]) {
        self.fields = fields
    }

    func child(named name: String) -> Any? {
        self.fields[name]
    }

    /// `value` with every struct in it read into a ``TemplateValue``; `nil` for an empty optional.
    static func wrap(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Double, is Substring, is any MustacheParent, is MustacheLambda,
            is any MustacheCustomRenderable, is any MustacheCustomRepresentation:
            return value
        default:
            break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { Self.wrap($0.value) }
        case .struct, .class:
            // A type that says how it reads (`CivilDate`) is drawn as it says, as before.
            if value is any CustomStringConvertible { return value }
            var fields: [String: Any] = [:]
            fields.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                guard let label = child.label, let wrapped = Self.wrap(child.value) else { continue }
                fields[label] = wrapped
            }
            return TemplateValue(fields: fields)
        case .collection, .set:
            return mirror.children.compactMap { Self.wrap($0.value) }
        default:
            // Enums, tuples, dictionaries: as they are (Mustache reflects them itself).
            return value
        }
    }
}
