/// Hands a connection's parsed requests to its task, one at a time: the reading side offers a
/// request, the task takes it, waiting when none is there yet.
///
/// Loop-confined, like its connection, so it needs no lock. An `AsyncStream` in its place cost
/// 18k more instructions a call (its lock and cancellation handler; BENCHMARKS.md, "Evening").
final class RequestHandoff<Item: Sendable> {
    private var pending: Item?
    private var waiter: CheckedContinuation<Item?, Never>?
    private var finished = false

    /// Gives `item` to the waiting task, or keeps it for the next ``take()``.
    func offer(_ item: Item) {
        guard !finished else { return }
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: item)
        } else {
            pending = item
        }
    }

    /// The next item, waiting for one if needed; `nil` once ``finish()`` was called.
    func take() async -> Item? {
        if let item = pending {
            pending = nil
            return item
        }
        guard !finished else { return nil }
        return await withCheckedContinuation { waiter = $0 }
    }

    /// No more items: a waiting ``take()`` returns `nil`, and so does every later one.
    func finish() {
        finished = true
        pending = nil
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: nil)
        }
    }
}
