import NIOCore
import Synchronization

/// Where one HTTP connection's task runs: on Swift's shared pool, or — while the connection carries a
/// checkout — on the connection's own event loop.
///
/// Hummingbird reads a request on the connection's event loop and hands it to the connection's task, which by
/// default runs on the shared pool: each request crosses threads once in (the loop wakes a pool thread) and
/// once out (the answer goes back to the loop to be written). When pages keep both cores busy each crossing
/// waits its turn, and for an admitted checkout the two crossings take as long as the checkout itself. A
/// checkout's task runs here on the loop that read it: resumed by that thread
/// if it was waiting for the request (else moved there at its first wait), its answer written without a hop.
/// Its work still runs on the checkout lane (``AdmissionMiddleware/checkoutLane``), and comes back to the loop.
///
/// Pages stay on the shared pool. Run on the loops too, they took their share of the cores from the loops'
/// own reading and writing: pages would wait longer for their door and fewer would be served. On
/// by default on PostgreSQL only (``AdmissionSettings/checkoutOnLoop``): on SQLite, whose checkouts take a
/// few milliseconds, checkouts then reached their door in bursts and their p99 rose.
///
/// ``ShopTimingHandler`` classifies each request's head on the loop and sets ``carriesCheckout``;
/// ``ConnectionTasks`` makes the connection's task prefer this executor.
final class ConnectionExecutor: TaskExecutor, Sendable {
    let loop: any EventLoop
    private let checkout = Atomic<Bool>(false)

    init(loop: any EventLoop) {
        self.loop = loop
    }

    /// Whether the request being read is a checkout: its task's next steps run on the loop.
    var carriesCheckout: Bool {
        get { self.checkout.load(ordering: .relaxed) }
        set { self.checkout.store(newValue, ordering: .relaxed) }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        guard self.carriesCheckout else {
            globalConcurrentExecutor.enqueue(job)
            return
        }
        let job = UnownedJob(job)
        self.loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
