/// A configuration value that cannot be used; the process stops at start-up with this message.
public enum ConfigError: Error, CustomStringConvertible {
    case invalid(key: String, value: String, hint: String)

    public var description: String {
        switch self {
        case .invalid(let key, let value, let hint):
            "Configuration '\(key)' = '\(value)' is not valid: expected \(hint)."
        }
    }
}
