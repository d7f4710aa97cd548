/// The kinds of traffic the overload benchmark offers, reported separately.
enum LoadClass: Int, CaseIterable, Sendable, CustomStringConvertible {
    case browse, cart, checkout, bot

    var description: String {
        switch self {
        case .browse: "browse"
        case .cart: "cart"
        case .checkout: "checkout"
        case .bot: "bot"
        }
    }
}
