import FloodgateIntegrations
import Foundation

/// What the simulated register holds: issued tokens and registered receipts by external id.
actor SimulatorState {
    /// One registered receipt, as `GET /receipts` lists it.
    struct Entry: Codable, Sendable {
        var externalId: String
        var uuid: String
        var total: Decimal
        var items: Int
        var clientEmail: String?
        /// How many `sell` calls named this external id (more than one: retries that found it registered).
        var sellCalls: Int
        var registeredAt: String
        var createdAt: Double
        var fiscalDocumentNumber: Int
    }

    private(set) var mode: SimulatorMode
    let processing: Duration
    private var tokens: Set<String> = []
    private var entries: [Entry] = []
    private var byExternalID: [String: Int] = [:]
    private var byUUID: [String: Int] = [:]

    init(mode: SimulatorMode, processing: Duration) {
        self.mode = mode
        self.processing = processing
    }

    func setMode(_ patch: SimulatorMode.Patch) -> SimulatorMode {
        self.mode = self.mode.applying(patch)
        return self.mode
    }

    func issueToken() -> String {
        let token = UUID().uuidString.lowercased()
        self.tokens.insert(token)
        return token
    }

    func accepts(token: String?) -> Bool { token.map(self.tokens.contains) ?? false }

    /// Registers a receipt once per external id; a repeat returns the first one.
    func register(_ request: CashierProtocol.SellRequest) -> (entry: Entry, duplicate: Bool) {
        if let index = self.byExternalID[request.externalId] {
            self.entries[index].sellCalls += 1
            return (self.entries[index], true)
        }
        let entry = Entry(
            externalId: request.externalId, uuid: UUID().uuidString.lowercased(), total: request.receipt.total,
            items: request.receipt.items.count, clientEmail: request.receipt.client.email, sellCalls: 1,
            registeredAt: CashierProtocol.timestamp(), createdAt: Date().timeIntervalSince1970,
            fiscalDocumentNumber: self.entries.count + 1
        )
        self.byExternalID[entry.externalId] = self.entries.count
        self.byUUID[entry.uuid] = self.entries.count
        self.entries.append(entry)
        return (entry, false)
    }

    func entry(uuid: String) -> Entry? { self.byUUID[uuid].map { self.entries[$0] } }

    func all() -> [Entry] { self.entries }
}
