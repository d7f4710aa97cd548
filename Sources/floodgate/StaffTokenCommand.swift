import ArgumentParser
import FloodgateApp
import FloodgateCore
import FloodgateStore
import Foundation
import Logging

/// `floodgate staff token`: personal API tokens for the admin API, made on the server.
struct StaffTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "A person's API tokens: create (shown once), list, revoke.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// `floodgate staff token create --email E --name N --store S --role R [--areas a,b] [--until DATE]`
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token with a role in one store (never more than the person's own access there).")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Whose token.") var email: String
        @Option(help: "What it is for (shown in lists and the audit log).") var name: String
        @OptionGroup var access: AccessOptions

        func validate() throws {
            try self.access.validate()
            guard !self.name.trimmingSpaces.isEmpty, self.name.count <= 60 else {
                throw ValidationError("--name must have 1 to 60 characters.")
            }
        }

        func run() async throws {
            try await StaffCommand.withStaff(self.dataOptions) { staff, stores, database in
                let member = try await StaffCommand.account(self.email, in: staff)
                let grant = try await self.access.grant(stores)
                let made: (secret: String, token: APIToken)
                do {
                    made = try await SQLAPITokenRepository(database: database).create(
                        staffID: member.id, grant: grant, name: self.name.trimmingSpaces, by: .operatorOnThisMachine)
                } catch StaffError.noSuchGrant {
                    throw ValidationError(
                        "\(member.email) may not do that much in \(self.access.store): a token never gives more than its person's own access."
                    )
                }
                let (secret, token) = made
                print("Token \(token.id) for \(member.email), \(token.label) of \(self.access.store):")
                print(secret)
                print("It is shown only now; the shop keeps only its hash.")
            }
        }
    }

    /// `floodgate staff token list [--email E]`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Only this person's tokens.") var email: String?

        func run() async throws {
            try await StaffCommand.withStaff(self.dataOptions) { staff, _, database in
                var id: Int?
                if let email = self.email { id = try await StaffCommand.account(email, in: staff).id }
                for token in try await SQLAPITokenRepository(database: database).tokens(staffID: id) {
                    let state =
                        token.revoked
                        ? "revoked" : (token.expiresAt.map { $0 <= WallClock.nowMillis } == true ? "expired" : "live")
                    print("\(token.id)\t\(token.staff.email)\t\(token.name)\t\(token.label)\t\(state)")
                }
            }
        }
    }

    /// `floodgate staff token revoke --id N`
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token at once.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "The token's number (from the list).") var id: Int

        func run() async throws {
            try await StaffCommand.withStaff(self.dataOptions) { _, _, database in
                guard
                    try await SQLAPITokenRepository(database: database).revoke(id: self.id, by: .operatorOnThisMachine)
                else { throw ValidationError("There is no live token \(self.id).") }
                print("Token \(self.id) is revoked.")
            }
        }
    }
}
