import Dispatch
import Synchronization

/// A fixed set of event loops, one thread each; the server, `fetch` and Redis share them.
///
/// Create one in `main`, hand it to ``HTTPServer`` and ``CurlFetchClient``, shut it down last.
public final class EventLoopGroup: Sendable {
    let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)
    private let lagProbes = LockedValue<[EventLoopLagProbe]>([])

    /// Starts `threadCount` loop threads named `name-0`, `name-1`, ….
    public init(threadCount: Int = System.coreCount, name: String = "edge-loop") {
        loops = (0..<max(1, threadCount)).map { EventLoop(name: "\(name)-\($0)") }
        for loop in loops { loop.start() }
    }

    /// The loop the caller is on, or the next one round-robin.
    func next() -> EventLoop {
        if let current = EventLoop.current, loops.contains(where: { $0 === current }) { return current }
        let index = nextIndex.add(1, ordering: .relaxed).oldValue
        return loops[index % loops.count]
    }

    /// Stops every loop and waits for its thread; nothing may use the group afterwards.
    public func shutdown() {
        for loop in loops { loop.stopAndWait() }
    }

    public var threadCount: Int { loops.count }

    /// Arms a lag probe on every loop (a 500 ms timer whose lateness is measured); once.
    public func startLagProbes() {
        lagProbes.withLock { probes in
            if probes.isEmpty { probes = loops.map { EventLoopLagProbe(loop: $0) } }
        }
    }

    /// The worst loop's timer lateness at its last probe; zero before ``startLagProbes()``.
    public func eventLoopLag() -> Duration {
        lagProbes.withLock { $0 }.map(\.lag).max() ?? .zero
    }

    /// Whether every loop runs a no-op within `limit` (a loop stuck in long work does not).
    func loopsAnswer(within limit: Duration) async -> Bool {
        for loop in loops {
            let answered = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let once = ResumeOnce(continuation)
                loop.execute { once.resume(true) }
                DispatchQueue.global().asyncAfter(deadline: .now() + limit.dispatchInterval) { once.resume(false) }
            }
            if !answered { return false }
        }
        return true
    }
}
