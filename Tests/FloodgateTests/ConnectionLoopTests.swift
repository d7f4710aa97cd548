import AsyncHTTPClient
import Configuration
import FloodgateApp
import FloodgateTestSupport
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@testable import FloodgateWeb

@Suite("A checkout runs on its connection's event loop, pages on the shared pool")
struct ConnectionLoopTests {
    /// A request context that keeps the connection's channel, so a handler can ask where it runs.
    struct ChannelContext: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            self.coreContext = .init(source: source)
            self.channel = source.channel
        }
    }

    @Test(
        "After its first wait a checkout's handler runs on its connection's loop, and comes back there from the lane; a page's on the shared pool"
    )
    func checkoutOnConnectionLoop() async throws {
        let server = HTTPServerBuilder.http1CheckoutsOnTheirLoop(
            configuration: .init(additionalChannelHandlers: [
                ShopTimingHandler(times: ShopTimes(), checkoutOnLoop: true)
            ]))
        // One client, one connection after another: the connection switches with each request's class. (Where
        // a handler starts depends on whether the connection's task was already waiting when the head came.)
        let answers = try await Self.serve(server, paths: [Self.checkout, Self.page, Self.checkout])
        #expect(answers[0] == "slept=true lane=false back=true")
        #expect(answers[1] == "slept=false lane=false back=false")
        #expect(answers[2] == "slept=true lane=false back=true")
    }

    @Test("Not run on their loop (SQLite's default), checkouts run on the shared pool, as on Hummingbird's own server")
    func checkoutOffLoop() async throws {
        for server in [
            HTTPServerBuilder.http1CheckoutsOnTheirLoop(
                configuration: .init(additionalChannelHandlers: [ShopTimingHandler(times: ShopTimes())])),
            HTTPServerBuilder.http1(
                configuration: .init(additionalChannelHandlers: [
                    ShopTimingHandler(times: ShopTimes(), checkoutOnLoop: true)
                ])),
        ] {
            let answers = try await Self.serve(server, paths: [Self.checkout])
            #expect(answers[0] == "slept=false lane=false back=false")
        }
    }

    @Test(
        "The setting is read as written, and left to the engine when absent",
        arguments: [("true", true), ("off", false), (nil, nil)] as [(String?, Bool?)])
    func setting(text: String?, expected: Bool?) throws {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let text { values[["floodgate", "admission", "checkout", "loop"]] = .init(.string(text), isSecret: false) }
        let settings = try AppSettings(reader: ConfigReader(provider: InMemoryProvider(values: values))).http.admission
        #expect(settings.checkoutOnLoop == expected)
    }

    static let checkout = "/api/v1/stores/petals/orders/PE-1"
    static let page = "/api/v1/stores/petals/products"

    /// Serves `paths` on `server` and answers where each handler ran, asked in turn over a real connection.
    private static func serve(_ server: HTTPServerBuilder, paths: [String]) async throws -> [String] {
        let router = Router(context: ChannelContext.self)
        router.get("**") { _, context -> String in
            let loop = context.channel.eventLoop
            try await Task.sleep(for: .milliseconds(5))
            let slept = loop.inEventLoop
            let lane = await withTaskExecutorPreference(AdmissionMiddleware.checkoutLane) { loop.inEventLoop }
            return "slept=\(slept) lane=\(lane) back=\(loop.inEventLoop)"
        }
        let port = PortBox()
        let app = Application(
            router: router, server: server, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { port.set($0.localAddress?.port ?? 0) }, logger: Logger(label: "test-loop")
        )
        let services = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test-loop")))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            defer { group.cancelAll() }
            let bound = try await port.wait()
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                var answers: [String] = []
                for path in paths {
                    let response = try await client.execute(
                        HTTPClientRequest(url: "http://127.0.0.1:\(bound)\(path)"), timeout: .seconds(10))
                    answers.append(String(buffer: try await response.body.collect(upTo: 1 << 16)))
                }
                try await client.shutdown()
                await services.triggerGracefulShutdown()
                return answers
            } catch {
                try? await client.shutdown()
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }
}
