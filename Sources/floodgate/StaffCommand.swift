import ArgumentParser
import FloodgateApp
import FloodgateCore
import FloodgateStore
import FloodgateWeb
import Foundation
import Logging

/// `floodgate staff`: back-office accounts, made on the server only — never through the web.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Back-office accounts.",
        subcommands: [Add.self, List.self]
    )

    /// `floodgate staff add --email EMAIL --name NAME --role owner|staff [--password-stdin]`
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a back-office account (the password is asked for, or read from standard input)."
        )

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Sign-in email.") var email: String
        @Option(help: "Name shown in the back-office and in order histories.") var name: String
        @Option(help: "owner (everything) or staff (orders, sheets, manifests, waiting lists).") var role: String
        @Flag(help: "Read the password from the first line of standard input instead of asking.") var passwordStdin =
            false

        func validate() throws {
            guard StaffRole(rawValue: self.role) != nil else { throw ValidationError("--role must be owner or staff.") }
            let email = StaffMember.normalise(email: self.email)
            let parts = email.split(separator: "@")
            guard parts.count == 2, parts[1].contains(".") else {
                throw ValidationError("--email must be an email address.")
            }
            guard !self.name.trimmingSpaces.isEmpty else { throw ValidationError("--name must not be empty.") }
        }

        func run() async throws {
            let password = try self.readPassword()
            guard password.count >= PasswordHasher.minimumLength else {
                throw ValidationError("The password needs at least \(PasswordHasher.minimumLength) characters.")
            }
            let config = try AppSettings(reader: try await self.dataOptions.reader())
            var logger = Logger(label: "floodgate.staff")
            logger.logLevel = .warning
            let hash = try await PasswordHasher.hash(password)
            try await Database.withOpened(config.store.database, logger: logger) { database in
                try await Migrator(database: database).migrate(logger: logger)
                do {
                    let member = try await SQLStaffRepository(database: database).add(
                        email: self.email, name: self.name.trimmingSpaces, role: StaffRole(rawValue: self.role)!,
                        passwordHash: hash
                    )
                    print("Added \(member.role.rawValue) \(member.name) <\(member.email)>; sign in at /admin/login.")
                } catch StaffError.emailTaken(let email) {
                    throw ValidationError("There is already an account for \(email).")
                }
            }
        }

        private func readPassword() throws -> String {
            if self.passwordStdin {
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

    /// `floodgate staff list`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List back-office accounts.")
        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            let config = try AppSettings(reader: try await self.dataOptions.reader())
            var logger = Logger(label: "floodgate.staff")
            logger.logLevel = .warning
            try await Database.withOpened(config.store.database, logger: logger) { database in
                try await Migrator(database: database).migrate(logger: logger)
                for member in try await SQLStaffRepository(database: database).all() {
                    print("\(member.email)\t\(member.role.rawValue)\t\(member.name)")
                }
            }
        }
    }
}
