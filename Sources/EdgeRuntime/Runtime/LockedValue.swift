import Glibc

/// A value behind a pthread mutex, with `Synchronization.Mutex`'s `withLock`. Use it instead of
/// `Mutex` in this package.
///
/// Why not `Mutex`: on Linux its contended path locks and unlocks through futex calls inside
/// the toolchain's uninstrumented `libswiftSynchronization`, so ThreadSanitizer sees no order
/// between two threads that took turns on it and reports each contended critical section as a
/// data race (`make sanitize` did, in `BodyChannel`). ThreadSanitizer intercepts
/// `pthread_mutex_lock`, so code behind this lock stays checkable. SwiftNIO's
/// `NIOLockedValueBox` is the same idea.
///
/// ```swift
/// let hits = LockedValue(0)
/// hits.withLock { $0 += 1 }
/// ```
public final class LockedValue<Value> {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// A lock guarding `value`.
    public init(_ value: Value) {
        self.value = value
        // Allocated, not stored inline: a pthread mutex must not move while in use.
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let code = pthread_mutex_init(mutex, nil)
        precondition(code == 0, "pthread_mutex_init failed (\(code)): no lock can guard this value")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held and exclusive access to the value.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

// @unchecked: `value` is read and written only inside `withLock`, with the mutex held.
extension LockedValue: @unchecked Sendable where Value: Sendable {}
