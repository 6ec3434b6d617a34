import Dispatch
import Foundation

/// Waits for termination signals without blocking any thread.
enum Signals {
    /// Returns the name of the first SIGTERM or SIGINT received.
    static func waitForTermination() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let queue = DispatchQueue(label: "signals")
            let resumed = SignalOnce(continuation)
            let sources = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")].map { number, name in
                // The default action must be off for the dispatch source to see the signal.
                signal(number, SIG_IGN)
                return (source: DispatchSource.makeSignalSource(signal: number, queue: queue), name: name)
            }
            // Handed over before any handler is set: a handler may run as soon as its source
            // resumes, and it reads the list (ThreadSanitizer caught the write racing it).
            resumed.keepAlive(sources.map(\.source))
            for (source, name) in sources {
                source.setEventHandler { resumed.fire(name) }
                source.resume()
            }
        }
    }
}

private final class SignalOnce: @unchecked Sendable {
    // @unchecked: set up before the handlers exist, then touched only on the serial "signals" queue.
    private var continuation: CheckedContinuation<String, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<String, Never>) { self.continuation = continuation }

    func keepAlive(_ sources: [any DispatchSourceSignal]) { self.sources = sources }

    func fire(_ name: String) {
        guard let continuation else { return }
        self.continuation = nil
        for source in sources { source.cancel() }
        continuation.resume(returning: name)
    }
}
