import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 connections, each connection's task preferring its ``ConnectionExecutor``.
///
/// The executor belongs to the connection's ``ShopTimingHandler`` (it classifies each request as it is
/// read); without one (no such handler, or checkouts not run on their loop) the task runs as Hummingbird's.
struct ConnectionTasks<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        self.base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        let channel = value.channel
        let executor = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: ShopTimingHandler.self).executor
        }.get()
        guard let executor = executor ?? nil else { return await self.base.handle(value: value, logger: logger) }
        await withTaskExecutorPreference(executor) { await self.base.handle(value: value, logger: logger) }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1, with checkouts' tasks on their connection's event loop (``ConnectionExecutor``).
    static func http1CheckoutsOnTheirLoop(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        .init { responder in ConnectionTasks(base: HTTP1Channel(responder: responder, configuration: configuration)) }
    }
}
