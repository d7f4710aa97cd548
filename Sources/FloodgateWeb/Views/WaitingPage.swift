import FloodgateCore

/// The waiting room: shown with `503` (the shop is full for a moment) or `429` (this client is too fast).
///
/// It tells the visitor how long to wait, tries again by itself (a GET reloads; a refused form post is
/// posted again with the same fields), keeps the cart (the cookie is not touched; the badge shows it) and
/// names the delivery windows that are already full, so nobody waits for a time that is gone.
struct WaitingPage: PageModel {
    static let template = "waiting"

    struct Replay {
        struct Field {
            var name: String
            var value: String
        }

        var action: String
        var fields: [Field]
    }

    var chrome: Chrome
    var heading: String
    var message: String
    var retryAfter: Int
    var waitLabel: String
    var fullWindows: [String]
    var hasFullWindows: Bool
    var openWindows: [String]
    var hasOpenWindows: Bool
    var replay: Replay?

    init(store: Store?, tooFast: Bool, retryAfter: Int, windows: [DeliveryWindow], replay: Replay?, cartCount: Int?) {
        self.chrome = Chrome(
            title: tooFast ? "One moment, please" : "You are in line", store: store, cartCount: cartCount)
        self.heading = tooFast ? "One moment, please" : "You are in line"
        self.message =
            tooFast
            ? "Your browser sent many requests very quickly. Please wait a moment; the shop is here for you."
            : "Many people are ordering right now. We serve everyone at full speed in turn, and people paying first."
        self.retryAfter = retryAfter
        self.waitLabel = retryAfter < 60 ? "\(retryAfter) s" : "\((retryAfter + 59) / 60) min"
        self.fullWindows = windows.filter { $0.remaining == 0 }.prefix(12).map(WindowLabel.long)
        self.hasFullWindows = !self.fullWindows.isEmpty
        self.openWindows = windows.filter { $0.remaining > 0 }.prefix(6).map(WindowLabel.long)
        self.hasOpenWindows = !self.openWindows.isEmpty
        self.replay = replay
    }
}
