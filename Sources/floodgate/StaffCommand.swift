import ArgumentParser
import FloodgateApp
import FloodgateCore
import FloodgateStore
import FloodgateWeb
import Foundation
import Logging

/// `floodgate staff`: back-office accounts and their access, on the server. Every change is recorded in the audit
/// log as done by the operating-system user running the command.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Back-office accounts and who may do what in which store.",
        subcommands: [
            Add.self, Grant.self, Revoke.self, Disable.self, Enable.self, List.self, Sessions.self, Passwd.self,
            StaffTokenCommand.self, SecondFactor.self,
        ]
    )

    /// `floodgate staff add --email E --name N --store S --role R [--areas a,b] [--until DATE] [--password-stdin]`
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Add an account with a role in one store (the password is asked for, or read from standard input)."
        )
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Sign-in email.") var email: String
        @Option(help: "Name shown in the back-office and in the audit log.") var name: String
        @OptionGroup var access: AccessOptions
        @Flag(help: "Read the password from the first line of standard input instead of asking.")
        var passwordStdin = false

        func validate() throws {
            try self.access.validate()
            guard EmailAddress.isValid(StaffMember.normalise(email: self.email)) else {
                throw ValidationError("--email must be an email address.")
            }
            guard !self.name.trimmingSpaces.isEmpty, self.name.count <= 100 else {
                throw ValidationError("--name must have 1 to 100 characters.")
            }
        }

        func run() async throws {
            let password = try StaffCommand.readPassword(stdin: self.passwordStdin)
            if let problem = PasswordPolicy.problem(with: password, email: self.email) {
                throw ValidationError(problem)
            }
            let hash = try await PasswordHasher.hash(password)
            try await StaffCommand.withStaff(self.dataOptions) { staff, stores in
                let grant = try await self.access.grant(stores)
                do {
                    let member = try await staff.add(
                        email: self.email, name: self.name.trimmingSpaces, passwordHash: hash, grant: grant,
                        by: .operatorOnThisMachine)
                    print(
                        "Added \(member.name) <\(member.email)>, \(grant.label) of \(self.access.store); sign in at /admin/login."
                    )
                } catch StaffError.emailTaken(let email) {
                    throw ValidationError("There is already an account for \(email); use `floodgate staff grant`.")
                }
            }
        }
    }

    /// `floodgate staff grant --email E --store S --role R [--areas a,b] [--until DATE]`
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give (or change) a person's role in a store.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "The account's email.") var email: String
        @OptionGroup var access: AccessOptions

        func validate() throws { try self.access.validate() }

        func run() async throws {
            try await StaffCommand.withStaff(self.dataOptions) { staff, stores in
                let member = try await StaffCommand.account(self.email, in: staff)
                let grant = try await self.access.grant(stores)
                try await staff.grant(staffID: member.id, grant, by: .operatorOnThisMachine)
                print("\(member.email) is now \(grant.label) of \(self.access.store).")
            }
        }
    }

    /// `floodgate staff revoke --email E --store S`
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a person's access to a store away (their sessions end at once).")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "The account's email.") var email: String
        @Option(help: "The store's short name (as in /admin/STORE/).") var store: String

        func run() async throws {
            try await StaffCommand.withStaff(self.dataOptions) { staff, stores in
                let member = try await StaffCommand.account(self.email, in: staff)
                let store = try await StaffCommand.store(self.store, in: stores)
                do {
                    try await staff.revoke(staffID: member.id, storeID: store.id, by: .operatorOnThisMachine)
                } catch StaffError.noSuchGrant {
                    throw ValidationError("\(member.email) has no access to \(store.slug).")
                }
                print("\(member.email) no longer has access to \(store.slug); their sessions have ended.")
            }
        }
    }

    /// `floodgate staff disable --email E`
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: no sign-in, and its sessions end at once.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "The account's email.") var email: String

        func run() async throws {
            try await StaffCommand.setDisabled(
                true, self.email, self.dataOptions, done: "is disabled; their sessions have ended")
        }
    }

    /// `floodgate staff enable --email E`
    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "The account's email.") var email: String

        func run() async throws {
            try await StaffCommand.setDisabled(false, self.email, self.dataOptions, done: "may sign in again")
        }
    }

    /// `floodgate staff list`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts and their access, store by store.")
        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            try await StaffCommand.withStaff(self.dataOptions) { staff, stores in
                let all = try await stores.all()
                let now = WallClock.nowMillis
                for account in try await staff.all() {
                    let grants = account.grants.map { grant -> String in
                        let store = all.first { $0.id == grant.storeID }
                        var text = "\(store?.slug ?? "?"):\(grant.label)"
                        if let until = grant.until {
                            let zone = TimeZone(identifier: store?.timeZone ?? "UTC") ?? .gmt
                            text += grant.isLive(at: now) ? " until \(AccessEnd.text(until, in: zone))" : " (ended)"
                        }
                        return text
                    }
                    let state = account.disabled ? "disabled" : (account.hasSecondFactor ? "2fa" : "password")
                    print(
                        "\(account.member.email)\t\(account.member.name)\t\(state)\t\(grants.joined(separator: ", "))")
                }
            }
        }
    }

    /// `floodgate staff sessions [--email E] [--end HANDLE]`
    struct Sessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List live back-office sessions, or end one.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Only this account's sessions.") var email: String?
        @Option(help: "End the session with this handle (the first column of the list).") var end: String?

        func run() async throws {
            try await StaffCommand.withStaff(self.dataOptions) { staff, _ in
                if let handle = self.end {
                    guard try await staff.endSession(handle: handle, by: .operatorOnThisMachine) else {
                        throw ValidationError("There is no live session \(handle).")
                    }
                    print("Session \(handle) has ended.")
                    return
                }
                let id = try await self.email.asyncMap { try await StaffCommand.account($0, in: staff).id }
                let policy = try AppSettings(reader: try await self.dataOptions.reader()).http.staffSessions
                for session in try await staff.sessions(staffID: id, policy: policy) {
                    let seen = (WallClock.nowMillis - session.lastSeenAt) / 60_000
                    print(
                        "\(session.handle)\t\(session.staff.email)\t\(session.address)\tseen \(seen) min ago\t\(session.userAgent)"
                    )
                }
            }
        }
    }

    /// `floodgate staff passwd --email E [--password-stdin]`
    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a new password for an account (its sessions end).")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "The account's email.") var email: String
        @Flag(help: "Read the password from the first line of standard input instead of asking.")
        var passwordStdin = false

        func run() async throws {
            let password = try StaffCommand.readPassword(stdin: self.passwordStdin)
            if let problem = PasswordPolicy.problem(with: password, email: self.email) {
                throw ValidationError(problem)
            }
            let hash = try await PasswordHasher.hash(password)
            try await StaffCommand.withStaff(self.dataOptions) { staff, _ in
                let member = try await StaffCommand.account(self.email, in: staff)
                try await staff.setPassword(staffID: member.id, passwordHash: hash, by: .operatorOnThisMachine)
                print("The password of \(member.email) is changed; their sessions have ended.")
            }
        }
    }

    /// `floodgate staff second-factor --store S --required yes|no`
    struct SecondFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "second-factor",
            abstract: "Whether a store's owners and managers must sign in with an authenticator app (yes by default).")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "The store's short name.") var store: String
        @Option(help: "yes or no.") var required: String

        func validate() throws {
            guard ["yes", "no"].contains(self.required) else { throw ValidationError("--required takes yes or no.") }
        }

        func run() async throws {
            try await StaffCommand.withStaff(self.dataOptions) { staff, stores in
                let store = try await StaffCommand.store(self.store, in: stores)
                try await staff.requireSecondFactor(
                    storeID: store.id, self.required == "yes", by: .operatorOnThisMachine)
                print(
                    "\(store.slug): a second factor is \(self.required == "yes" ? "required" : "optional") for owners and managers."
                )
            }
        }
    }

    /// Opens the shop's database (migrated) for one staff change.
    static func withStaff(
        _ options: DataOptions, _ body: (any StaffRepository, any StoreRepository) async throws -> Void
    ) async throws {
        try await Self.withStaff(options) { staff, stores, _ in try await body(staff, stores) }
    }

    static func withStaff(
        _ options: DataOptions, _ body: (any StaffRepository, any StoreRepository, Database) async throws -> Void
    ) async throws {
        let config = try AppSettings(reader: try await options.reader())
        var logger = Logger(label: "floodgate.staff")
        logger.logLevel = .warning
        try await Database.withOpened(config.store.database, logger: logger) { database in
            try await Migrator(database: database).migrate(logger: logger)
            try await body(SQLStaffRepository(database: database), SQLStoreRepository(database: database), database)
        }
    }

    static func setDisabled(_ disabled: Bool, _ email: String, _ options: DataOptions, done: String) async throws {
        try await Self.withStaff(options) { staff, _ in
            let member = try await Self.account(email, in: staff)
            try await staff.setDisabled(staffID: member.id, disabled, by: .operatorOnThisMachine)
            print("\(member.email) \(done).")
        }
    }

    static func account(_ email: String, in staff: any StaffRepository) async throws -> StaffMember {
        guard let account = try await staff.account(email: email) else {
            throw ValidationError("There is no account for \(StaffMember.normalise(email: email)).")
        }
        return account.member
    }

    static func store(_ slug: String, in stores: any StoreRepository) async throws -> Store {
        guard let store = try await stores.find(slug: slug) else {
            let known = try await stores.all().map(\.slug).joined(separator: ", ")
            throw ValidationError("There is no store '\(slug)' (stores: \(known)).")
        }
        return store
    }

    static func readPassword(stdin: Bool) throws -> String {
        if stdin {
            guard let line = Swift.readLine(strippingNewline: true) else {
                throw ValidationError("No password on standard input.")
            }
            return line
        }
        guard isatty(STDIN_FILENO) != 0 else {
            throw ValidationError("No terminal to ask for the password: use --password-stdin.")
        }
        let first = String(cString: getpass("Password: "))
        let again = String(cString: getpass("Again: "))
        guard first == again else { throw ValidationError("The passwords differ.") }
        return first
    }
}

/// `--store S --role R [--areas a,b] [--until DATE]`: one grant, as `add` and `grant` take it.
struct AccessOptions: ParsableArguments {
    @Option(help: "The store's short name (as in /admin/STORE/).") var store: String
    @Option(help: "owner, manager, florist, courier or contractor.") var role: String
    @Option(help: "A contractor's areas, comma-separated: catalog, delivery, tasks, orders.") var areas: String?
    @Option(
        help: "When the access ends by itself: a date (the end of that day in the store's time) or YYYY-MM-DDTHH:MM.")
    var until: String?

    func validate() throws {
        guard let role = StaffRole(rawValue: self.role) else {
            throw ValidationError(
                "--role must be one of: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if let areas = self.areas {
            guard role == .contractor else { throw ValidationError("--areas is only for contractors.") }
            guard let parsed = ContractorArea.parse(list: areas), !parsed.isEmpty else {
                throw ValidationError(
                    "--areas takes: \(ContractorArea.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        } else if role == .contractor {
            throw ValidationError("A contractor needs --areas: what they may touch.")
        }
    }

    /// The grant, with `--until` read in the store's time zone; refused when it has already passed.
    func grant(_ stores: any StoreRepository) async throws -> StaffGrant {
        let store = try await StaffCommand.store(self.store, in: stores)
        var until: Int64?
        if let text = self.until {
            let zone = TimeZone(identifier: store.timeZone) ?? .gmt
            guard let end = AccessEnd.millis(from: text, in: zone) else {
                throw ValidationError("--until must be a date like 2026-02-20, or 2026-02-20T18:00.")
            }
            guard end > WallClock.nowMillis else { throw ValidationError("--until is in the past.") }
            until = end
        }
        return StaffGrant(
            storeID: store.id, role: StaffRole(rawValue: self.role) ?? .contractor,
            areas: ContractorArea.parse(list: self.areas ?? "") ?? [], until: until)
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async throws -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
