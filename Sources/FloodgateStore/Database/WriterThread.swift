import NIOCore
import NIOPosix

/// The writer's own thread: it runs the writer's loop, every transaction body (as the loop task's executor)
/// and their statements (``DirectSQLiteConnection``).
///
/// On Swift's shared pool, every resumption of a body waited behind every visitor's ready task; here a body
/// waits for nothing but its own statements.
final class WriterThread: TaskExecutor, Sendable {
    private let group: MultiThreadedEventLoopGroup
    /// The thread, as an event loop (what SQLKit's future-returning calls are answered on).
    let loop: any EventLoop

    init() {
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.loop = self.group.next()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Ends the thread; call after the writer's loop has finished.
    func shutdown() async {
        try? await self.group.shutdownGracefully()
    }
}
