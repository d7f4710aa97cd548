import ArgumentParser
import Configuration

/// Options of processes that run jobs or serve the shop: where mail, receipts and operators connect.
struct IntegrationOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Mail relay smtp://HOST:PORT (env FLOODGATE_SMTP_URL); without it emails go to DATA/mail/*.eml.")
    var smtpURL: String?

    @Option(
        name: .long,
        help: "Online cash register API base URL (env FLOODGATE_CASHIER_URL); without it receipt jobs wait.")
    var cashierURL: String?

    @Option(name: .long, help: "Address customers reach the shop at, for links in emails (env FLOODGATE_PUBLIC_URL).")
    var publicURL: String?

    @Option(
        name: .long,
        help:
            "Bearer token for /api/v1/admin, 32 characters or more (env FLOODGATE_ADMIN_TOKEN); without one it is closed."
    )
    var adminToken: String?

    @Option(
        name: .long,
        help:
            "File holding the admin API's bearer token (env FLOODGATE_ADMIN_TOKEN_FILE), so that `ps` does not show it."
    )
    var adminTokenFile: String?

    @Option(name: .long, help: "Deliberate faults for drills, comma-separated: runaway-task (env FLOODGATE_FAULTS).")
    var faults: String?

    var values: [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let smtpURL { values[["floodgate", "smtp", "url"]] = .init(.string(smtpURL), isSecret: false) }
        if let cashierURL { values[["floodgate", "cashier", "url"]] = .init(.string(cashierURL), isSecret: false) }
        if let publicURL { values[["floodgate", "public", "url"]] = .init(.string(publicURL), isSecret: false) }
        if let adminToken { values[["floodgate", "admin", "token"]] = .init(.string(adminToken), isSecret: true) }
        if let adminTokenFile {
            values[["floodgate", "admin", "token", "file"]] = .init(.string(adminTokenFile), isSecret: false)
        }
        if let faults { values[["floodgate", "faults"]] = .init(.string(faults), isSecret: false) }
        return values
    }
}
