/// `/admin/second-factor`: a code from the authenticator app, or (enrolling) its QR code first.
struct SecondFactorPage: PageModel {
    static let template = "admin-second-factor"
    var chrome: AdminChrome
    var csrf: String
    var next: String
    var enrol: Bool
    /// The enrolment QR code, an inline SVG made by ``QRCode`` (no script, no style).
    var qr: String
    var secret: String
    var error: String?
}

/// The recovery codes of a new enrolment, shown once.
struct RecoveryCodesPage: PageModel {
    static let template = "admin-recovery-codes"
    var chrome: AdminChrome
    var codes: [String]
    var next: String
}
