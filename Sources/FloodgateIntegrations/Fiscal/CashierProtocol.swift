import Foundation

/// The messages of an ATOL-Online-style cash register API (v4): obtain a token, register a *sell*
/// receipt under an external id, poll its report by the register's uuid.
///
/// Field names are the wire's snake_case; the same types serve the client and the simulator.
public enum CashierProtocol {
    public struct TokenRequest: Codable, Sendable {
        public var login: String
        public var pass: String

        public init(login: String, pass: String) {
            self.login = login
            self.pass = pass
        }
    }

    public struct TokenResponse: Codable, Sendable {
        public var token: String?
        public var error: ErrorInfo?
        public var timestamp: String

        public init(token: String?, error: ErrorInfo?, timestamp: String) {
            self.token = token
            self.error = error
            self.timestamp = timestamp
        }
    }

    public struct ErrorInfo: Codable, Sendable, Equatable {
        public var code: Int
        public var text: String
        public var type: String

        public init(code: Int, text: String, type: String) {
            self.code = code
            self.text = text
            self.type = type
        }
    }

    /// `POST /{group}/sell`: one receipt, known to the register by `external_id` from now on.
    public struct SellRequest: Codable, Sendable {
        public var externalId: String
        public var timestamp: String
        public var receipt: Receipt

        public init(externalId: String, timestamp: String, receipt: Receipt) {
            self.externalId = externalId
            self.timestamp = timestamp
            self.receipt = receipt
        }
    }

    public struct Receipt: Codable, Sendable {
        public var client: Client
        public var company: Company
        public var items: [Item]
        public var payments: [Payment]
        public var total: Decimal

        public init(client: Client, company: Company, items: [Item], payments: [Payment], total: Decimal) {
            self.client = client
            self.company = company
            self.items = items
            self.payments = payments
            self.total = total
        }
    }

    public struct Client: Codable, Sendable {
        public var email: String?
        public var phone: String?

        public init(email: String?, phone: String?) {
            self.email = email
            self.phone = phone
        }
    }

    public struct Company: Codable, Sendable {
        public var email: String
        /// Taxation system, e.g. `usn_income`.
        public var sno: String
        public var inn: String
        public var paymentAddress: String

        public init(email: String, sno: String, inn: String, paymentAddress: String) {
            self.email = email
            self.sno = sno
            self.inn = inn
            self.paymentAddress = paymentAddress
        }
    }

    public struct Item: Codable, Sendable {
        public var name: String
        public var price: Decimal
        public var quantity: Decimal
        public var sum: Decimal
        public var measurementUnit: String
        public var paymentMethod: String
        public var paymentObject: String
        public var vat: Vat

        public init(name: String, price: Decimal, quantity: Decimal, sum: Decimal, vat: String) {
            self.name = name
            self.price = price
            self.quantity = quantity
            self.sum = sum
            self.measurementUnit = "шт"
            self.paymentMethod = "full_payment"
            self.paymentObject = "commodity"
            self.vat = Vat(type: vat)
        }
    }

    public struct Vat: Codable, Sendable {
        /// `none`, `vat0`, `vat10`, `vat20`, …
        public var type: String
    }

    public struct Payment: Codable, Sendable {
        /// 1: electronic payment.
        public var type: Int
        public var sum: Decimal

        public init(type: Int, sum: Decimal) {
            self.type = type
            self.sum = sum
        }
    }

    /// The answer to `sell` and to `report/{uuid}`: `status` is `wait`, `done` or `fail`.
    public struct Report: Codable, Sendable {
        public var uuid: String
        public var status: String
        public var externalId: String?
        public var error: ErrorInfo?
        public var payload: FiscalData?
        public var timestamp: String

        public init(
            uuid: String, status: String, externalId: String?, error: ErrorInfo?, payload: FiscalData?,
            timestamp: String
        ) {
            self.uuid = uuid
            self.status = status
            self.externalId = externalId
            self.error = error
            self.payload = payload
            self.timestamp = timestamp
        }
    }

    /// What the fiscal drive printed: the numbers a tax inspector checks a receipt by.
    public struct FiscalData: Codable, Sendable, Equatable {
        public var total: Decimal
        public var fnNumber: String
        public var fiscalDocumentNumber: Int
        public var fiscalDocumentAttribute: Int
        public var receiptDatetime: String

        public init(
            total: Decimal, fnNumber: String, fiscalDocumentNumber: Int, fiscalDocumentAttribute: Int,
            receiptDatetime: String
        ) {
            self.total = total
            self.fnNumber = fnNumber
            self.fiscalDocumentNumber = fiscalDocumentNumber
            self.fiscalDocumentAttribute = fiscalDocumentAttribute
            self.receiptDatetime = receiptDatetime
        }
    }

    /// The register's timestamp format, `dd.MM.yyyy HH:mm:ss`.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Moscow")
        formatter.dateFormat = "dd.MM.yyyy HH:mm:ss"
        return formatter.string(from: date)
    }

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A message as the wire's JSON text, e.g. to keep a receipt's fiscal data.
    public static func json(_ value: some Encodable) throws -> String {
        String(decoding: try Self.encoder.encode(value), as: UTF8.self)
    }

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}
