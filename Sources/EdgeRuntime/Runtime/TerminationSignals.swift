import Dispatch
import FoundationEssentials
import Glibc

/// SIGTERM and SIGINT, watched without blocking any thread: ``watch()`` returns once the watch
/// is in place, ``first()`` waits for the first signal.
///
/// Watch before the server listens. A signal that arrives before the watch is in place has its
/// default action and ends the process, which is right: nothing is being served yet. Once the
/// server answers, every signal is seen. (Watching only after `start()` lost a SIGTERM sent as
/// soon as `/healthz` answered: the process kept serving and never drained.)
final class TerminationSignals: @unchecked Sendable {
    // @unchecked: `sources` is set before any handler exists; the rest is touched only on `queue`.
    private let queue = DispatchQueue(label: "signals")
    private var sources: [any DispatchSourceSignal] = []
    private var registered = 0
    private var ready: CheckedContinuation<Void, Never>?
    private var received: String?
    private var waiter: CheckedContinuation<String, Never>?

    private init() {}

    /// Starts watching; returns once the kernel reports both signals to the watch.
    static func watch() async -> TerminationSignals {
        let signals = TerminationSignals()
        await signals.install()
        return signals
    }

    /// The name of the first SIGTERM or SIGINT received (at once if one already was).
    func first() async -> String {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                if let received { continuation.resume(returning: received) } else { waiter = continuation }
            }
        }
    }

    private func install() async {
        let watched = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")]
        // No SIG_IGN first, unlike on Darwin: on Linux libdispatch installs its own handler when a
        // source registers (it passes the signal on to the thread reading its signalfd). Ignoring
        // the signal before then would drop one sent in between instead of ending the process.
        sources = watched.map { DispatchSource.makeSignalSource(signal: $0.0, queue: queue) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                ready = continuation
                for (source, (_, name)) in zip(sources, watched) {
                    source.setEventHandler { [self] in fire(name) }
                    source.setRegistrationHandler { [self] in sourceRegistered() }
                    source.resume()
                }
            }
        }
    }

    private func sourceRegistered() {
        registered += 1
        if registered == sources.count, let ready {
            self.ready = nil
            ready.resume()
        }
    }

    private func fire(_ name: String) {
        guard received == nil else { return }
        received = name
        for source in sources { source.cancel() }
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: name)
        }
    }
}
