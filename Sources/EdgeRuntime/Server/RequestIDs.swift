import Synchronization

/// Request ids: a random per-process prefix and a counter, cheap and unique across a fleet.
/// One instance serves the worker's requests and the errors the server answers itself.
final class RequestIDs: Sendable {
    private let prefix = String(UInt32.random(in: .min ... .max), radix: 16)
    private let counter = Atomic<UInt64>(0)

    func next() -> String {
        prefix + "-" + String(counter.add(1, ordering: .relaxed).newValue, radix: 16)
    }
}
