/// What a back-office post did, said on the page it leads to (`?done=NAME`).
///
/// The text comes from this fixed list, never from the link: a link sent to a florist cannot make the
/// back-office say anything the shop did not write ("Call this number to confirm your session…").
enum BackOfficeNotice: String, CaseIterable, Sendable {
    case statusChanged = "status-changed"
    case tourAdded = "tour-added"
    case capacityChanged = "capacity-changed"
    case toursGenerated = "tours-generated"
    case zoneSaved = "zone-saved"
    case templateSaved = "template-saved"
    case catalogImported = "catalog-imported"
    case productSaved = "product-saved"
    case photoAdded = "photo-added"
    case staffAdded = "staff-added"
    case accessChanged = "access-changed"
    case accessRevoked = "access-revoked"
    case accountDisabled = "account-disabled"
    case accountEnabled = "account-enabled"
    case passwordSet = "password-set"
    case secondFactorReset = "second-factor-reset"
    case sessionEnded = "session-ended"

    var text: String {
        switch self {
        case .statusChanged: "The order's status is changed."
        case .tourAdded: "The tour is added."
        case .capacityChanged: "The tour's capacity is changed."
        case .toursGenerated: "Tours are added from the templates."
        case .zoneSaved: "The zone is saved."
        case .templateSaved: "The template is saved, and its tours added."
        case .catalogImported: "The catalog is imported."
        case .productSaved: "The product is saved."
        case .photoAdded: "The photo is added."
        case .staffAdded: "The person is added; give them their password by a way other than this email."
        case .accessChanged: "Their access is changed."
        case .accessRevoked: "Their access to this store is taken away, and their sessions have ended."
        case .accountDisabled: "The account is disabled, and its sessions have ended."
        case .accountEnabled: "The account may sign in again."
        case .passwordSet: "The new password is set, and their sessions have ended."
        case .secondFactorReset: "Their authenticator app is forgotten: they set it up again at their next sign-in."
        case .sessionEnded: "The session has ended."
        }
    }

    /// The notice a `?done=` value names; nil for anything not on the list.
    static func named(_ name: String?) -> BackOfficeNotice? {
        name.flatMap(Self.init(rawValue:))
    }
}
