import Foundation
import NIOCore
import Testing

@testable import FloodgateStore

@Suite("Threads of their own for urgent work")
struct ThreadExecutorTests {
    @Test("Work that prefers the executor runs on its thread, also after it waits elsewhere")
    func runsOnItsThread() async throws {
        let executor = ThreadExecutor(threads: 1)
        let loop = executor.loop
        let (before, after) = await withTaskExecutorPreference(executor) {
            let before = loop.inEventLoop
            try? await Task.sleep(for: .milliseconds(5))
            return (before, loop.inEventLoop)
        }
        #expect(before && after)
        #expect(!loop.inEventLoop, "the caller is back on its own executor")
        #expect(try await executor.raised.get(), "nice 0 needs no privilege")
        await executor.shutdown()
    }

    @Test("An urgent thread's priority is raised where the system allows it, and says so where it does not")
    func raisesPriority() async throws {
        let executor = ThreadExecutor(threads: 1, nice: ThreadExecutor.urgent)
        let raised = try await executor.raised.get()
        let nice = try await executor.loop.submit { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }.get()
        #expect(raised == (nice == ThreadExecutor.urgent), "raised \(raised), nice \(nice)")
        await executor.shutdown()
    }
}
