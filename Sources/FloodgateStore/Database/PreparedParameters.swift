import PostgresKit

/// A prepared statement's parameters, listed once: each gets its placeholder (`$1`, `$2`, …) from its place in the
/// list and its value from the same entry, so a statement's text and its bindings cannot drift apart.
///
/// The statement's text is composed once with the placeholders ``add(_:)`` hands out; every execution binds
/// ``bindings(for:)`` of its own input, in the same order.
struct PreparedParameters<Input>: Sendable {
    typealias Bind = @Sendable (Input, inout PostgresBindings) throws -> Void

    private var binds: [Bind] = []

    /// Adds a parameter bound to `value(input)`; returns its placeholder.
    mutating func add<Value: PostgresEncodable & Sendable>(
        _ value: @escaping @Sendable (Input) throws -> Value
    ) -> String {
        self.add(binding: { input, bindings in try bindings.append(try value(input)) })
    }

    /// Adds a parameter that may be NULL.
    mutating func addOptional<Value: PostgresEncodable & Sendable>(
        _ value: @escaping @Sendable (Input) throws -> Value?
    ) -> String {
        self.add(binding: { input, bindings in try bindings.append(try value(input)) })
    }

    /// Adds a parameter that binds its own value; returns its placeholder.
    mutating func add(binding: @escaping Bind) -> String {
        self.binds.append(binding)
        return "$\(self.binds.count)"
    }

    /// Every parameter's value for `input`, in placeholder order.
    func bindings(for input: Input) throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: self.binds.count)
        for bind in self.binds { try bind(input, &bindings) }
        return bindings
    }
}
