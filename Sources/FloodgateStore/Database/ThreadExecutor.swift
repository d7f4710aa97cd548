import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Threads of their own, at a raised priority, for the work a busy day must not keep waiting: the SQLite
/// writer and admitted checkouts.
///
/// A task that prefers this executor (`Task(executorPreference:)`, `withTaskExecutorPreference`) runs its
/// nonisolated code here. On Swift's shared pool every resumption waits behind every visitor's ready task,
/// and when the storefront keeps both cores busy every thread waits its fair turn at a core, so an order's
/// few milliseconds of work would take hundreds. The raised priority makes the kernel run
/// these threads first when they have work; they have little, so pages keep the rest of the cores.
public final class ThreadExecutor: TaskExecutor, Sendable {
    private let group: MultiThreadedEventLoopGroup
    /// The first thread, as an event loop (what SQLKit's future-returning calls are answered on).
    let loop: any EventLoop
    /// True once every thread runs at `nice`; false where the system refused it (raising a priority needs
    /// `CAP_SYS_NICE` — root, or systemd's `AmbientCapabilities=CAP_SYS_NICE`).
    public let raised: EventLoopFuture<Bool>

    /// The nice value of the urgent threads: well ahead of the default 0, not real-time.
    public static let urgent: Int32 = -10

    /// `threads` threads at the nice value `nice` (lower runs first; 0 is everyone's default).
    public init(threads: Int = 1, nice: Int32 = 0) {
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        self.loop = self.group.next()
        let loops = Array(self.group.makeIterator())
        self.raised = EventLoopFuture.whenAllComplete(
            loops.map { loop in loop.submit { Self.setNice(nice) } }, on: self.loop
        )
        .map { results in results.allSatisfy { (try? $0.get()) == true } }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.group.next().execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Ends the threads; call once nothing runs on them any more.
    public func shutdown() async {
        try? await self.group.shutdownGracefully()
    }

    /// Sets the calling thread's nice value (on Linux a thread's own: `who` 0 is the calling thread).
    private static func setNice(_ nice: Int32) -> Bool {
        guard nice != 0 else { return true }
        #if canImport(Glibc)
        return setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) == 0
        #else
        return false
        #endif
    }
}
