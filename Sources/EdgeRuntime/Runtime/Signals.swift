import Dispatch
import Foundation

/// Waits for termination signals without blocking any thread.
enum Signals {
    /// Returns the name of the first SIGTERM or SIGINT received.
    static func waitForTermination() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let queue = DispatchQueue(label: "signals")
            let resumed = SignalOnce(continuation)
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                // The default action must be off for the dispatch source to see the signal.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { resumed.fire(name) }
                source.resume()
                sources.append(source)
            }
            resumed.keepAlive(sources)
        }
    }
}

private final class SignalOnce: @unchecked Sendable {
    // @unchecked: every access happens on the single serial "signals" queue.
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
