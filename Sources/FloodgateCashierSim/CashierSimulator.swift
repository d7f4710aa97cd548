import FloodgateIntegrations
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A local stand-in for an ATOL-Online-style cash register, for tests, demos and outage drills.
///
/// Speaks the protocol at its root (`POST /getToken`, `POST /{group}/sell`, `GET /{group}/report/{uuid}`;
/// receipts are `done` after `processing`), lists what it registered at `GET /receipts`, and behaves as
/// badly as its ``SimulatorMode`` says; `GET`/`POST /_sim/mode` read and switch the mode at runtime.
public enum CashierSimulator {
    public static func buildApplication(
        host: String = "127.0.0.1", port: Int, mode: SimulatorMode = SimulatorMode(),
        processing: Duration = .milliseconds(200),
        login: String = "floodgate", password: String = "floodgate", logger: Logger = Logger(label: "cashier-sim"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let state = SimulatorState(mode: mode, processing: processing)
        let router = Router()
        router.post("getToken") { request, context -> Response in
            let credentials = try await Self.decode(CashierProtocol.TokenRequest.self, request, context)
            if let failure = await Self.misbehave(state) { return failure }
            guard credentials.login == login, credentials.pass == password else {
                let error = CashierProtocol.ErrorInfo(code: 12, text: "Wrong login or password", type: "system")
                return try Self.json(
                    CashierProtocol.TokenResponse(token: nil, error: error, timestamp: CashierProtocol.timestamp()),
                    status: .ok)
            }
            let token = await state.issueToken()
            return try Self.json(
                CashierProtocol.TokenResponse(token: token, error: nil, timestamp: CashierProtocol.timestamp()),
                status: .ok)
        }
        router.post(":group/sell") { request, context -> Response in
            guard await state.accepts(token: request.headers[.init("Token")!]) else {
                return Response(status: .unauthorized)
            }
            let sell = try await Self.decode(CashierProtocol.SellRequest.self, request, context)
            if let failure = await Self.misbehave(state) { return failure }
            let (entry, duplicate) = await state.register(sell)
            if Double.random(in: 0..<1) < (await state.mode.lostAnswerRate) {
                return Response(status: .internalServerError)
            }
            let error =
                duplicate
                ? CashierProtocol.ErrorInfo(code: 33, text: "Receipt with this external_id exists", type: "system")
                : nil
            return try Self.json(Self.report(entry, processing: state.processing, error: error), status: .ok)
        }
        router.get(":group/report/:uuid") { request, context -> Response in
            guard await state.accepts(token: request.headers[.init("Token")!]) else {
                return Response(status: .unauthorized)
            }
            if let failure = await Self.misbehave(state) { return failure }
            guard let entry = await state.entry(uuid: try context.parameters.require("uuid")) else {
                return Response(status: .notFound)
            }
            return try Self.json(Self.report(entry, processing: state.processing, error: nil), status: .ok)
        }
        router.get("receipts") { _, _ -> Response in
            try Self.json(await state.all(), status: .ok)
        }
        router.get("_sim/mode") { _, _ -> Response in try Self.json(await state.mode, status: .ok) }
        router.post("_sim/mode") { request, context -> Response in
            let patch = try await Self.decode(SimulatorMode.Patch.self, request, context)
            let mode = await state.setMode(patch)
            logger.notice("mode switched", metadata: ["mode": "\(mode)"])
            return try Self.json(mode, status: .ok)
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "cashier-sim"),
            onServerRunning: onServerRunning, logger: logger
        )
    }

    /// The failure the current mode calls for, if any (after its delay).
    private static func misbehave(_ state: SimulatorState) async -> Response? {
        let mode = await state.mode
        if mode.delayMs > 0 { try? await Task.sleep(for: .milliseconds(mode.delayMs)) }
        if mode.hang { try? await Task.sleep(for: .seconds(120)) }
        if mode.down { return Response(status: .serviceUnavailable) }
        if Double.random(in: 0..<1) < mode.failRate { return Response(status: .internalServerError) }
        return nil
    }

    private static func report(
        _ entry: SimulatorState.Entry, processing: Duration, error: CashierProtocol.ErrorInfo?
    ) -> CashierProtocol.Report {
        let age = Date().timeIntervalSince1970 - entry.createdAt
        let seconds = processing / .seconds(1)
        let done = age >= seconds
        let payload =
            done
            ? CashierProtocol.FiscalData(
                total: entry.total, fnNumber: "9999078900004312", fiscalDocumentNumber: entry.fiscalDocumentNumber,
                fiscalDocumentAttribute: 1_000_000_000 + entry.fiscalDocumentNumber, receiptDatetime: entry.registeredAt
            ) : nil
        return CashierProtocol.Report(
            uuid: entry.uuid, status: done ? "done" : "wait", externalId: entry.externalId, error: error,
            payload: payload,
            timestamp: CashierProtocol.timestamp()
        )
    }

    private static func decode<T: Decodable>(
        _ type: T.Type, _ request: Request, _ context: BasicRequestContext
    ) async throws -> T {
        let body = try await request.body.collect(upTo: 1 << 20)
        do {
            return try CashierProtocol.decoder.decode(type, from: Data(body.readableBytesView))
        } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let data = try CashierProtocol.encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
