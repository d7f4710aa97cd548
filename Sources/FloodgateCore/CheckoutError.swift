/// Why an order was not placed. Each case is the customer's to fix, never a server fault.
public enum CheckoutError: Error, Hashable, Sendable {
    /// Input that can never succeed as sent.
    case validation([FieldError])
    /// Products that exist but cannot be ordered now.
    case productUnavailable([String])
    /// The delivery window has no places left.
    case windowFull(windowID: Int)
    /// The idempotency key was used before with a different request.
    case idempotencyKeyReused
    /// The waiting-list place this order was to take is no longer held (the hold ran out, or was used).
    case holdExpired
}
