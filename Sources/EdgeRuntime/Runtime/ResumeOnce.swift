
/// A continuation resumed by whichever comes first of some work and its deadline: the loser's
/// resume is dropped, so a stuck callee can't hold its caller past the deadline.
final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: LockedValue<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = LockedValue(continuation)
    }

    var isResumed: Bool { continuation.withLock { $0 == nil } }

    func resume(_ value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
