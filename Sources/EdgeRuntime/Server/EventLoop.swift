import CEvent
import CSystem
import Dispatch
import FoundationEssentials
import Glibc

/// One libevent `event_base` on its own thread: the loop the server, curl and Redis share (DESIGN §3).
///
/// Work reaches the loop through ``execute(_:)`` (any thread) or by running a task with the loop
/// as its executor preference (`Task(executorPreference: loop)`), so request handlers start on the
/// thread that owns their socket and need no hop to write to it.
///
/// - Important: `base` and everything registered on it are confined to the loop thread; code that
///   touches them runs in ``execute(_:)`` or checks ``inEventLoop``.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    // @unchecked: `base` and `wakeEvent` are touched only on the loop thread after init;
    // the cross-thread queue is behind a LockedValue.
    private enum Item {
        case block(@Sendable () -> Void)
        case job(UnownedJob)
    }

    let base: OpaquePointer
    let name: String
    private var wakeEvent: OpaquePointer?
    private let queue = LockedValue<(items: [Item], wakePending: Bool)>(([], false))
    private let threadID = LockedValue<pthread_t?>(nil)
    private let stopped = LockedValue(false)
    private let exited = DispatchSemaphore(value: 0)

    /// Every thread that runs a loop, so `current` can find it.
    nonisolated(unsafe) private static var currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The loop whose thread is running this code, if any.
    static var current: EventLoop? {
        guard let pointer = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(pointer).takeUnretainedValue()
    }

    init(name: String) {
        LibeventSetup.once()
        guard let base = event_base_new() else {
            preconditionFailure("event_base_new failed: libevent cannot allocate an event base")
        }
        self.base = base
        self.name = name
        let context = Unmanaged.passUnretained(self).toOpaque()
        wakeEvent = event_new(
            base, -1, 0,
            { _, _, context in
                Unmanaged<EventLoop>.fromOpaque(context!).takeUnretainedValue().drainQueue()
            }, context)
    }

    deinit {
        if let wakeEvent { event_free(wakeEvent) }
        event_base_free(base)
    }

    /// Starts the loop thread; returns once it is running.
    func start() {
        let ready = DispatchSemaphore(value: 0)
        let body = { [self] in
            _ = CSystem_setThreadName(String(name.prefix(15)))
            pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
            threadID.withLock { $0 = pthread_self() }
            ready.signal()
            while !stopped.withLock({ $0 }) {
                event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY)
            }
            drainQueue()
            pthread_setspecific(Self.currentKey, nil)
            exited.signal()
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 1 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let started = pthread_create(
            &thread, &attributes,
            { context in
                Unmanaged<ThreadEntry>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, Unmanaged.passRetained(ThreadEntry(run: body)).toOpaque())
        pthread_attr_destroy(&attributes)
        precondition(started == 0, "cannot start the \(name) thread: \(String(cString: strerror(started)))")
        ready.wait()
    }

    /// Stops the loop after the work already queued; blocks until the thread has exited.
    /// Call from outside the loop thread.
    func stopAndWait() {
        precondition(!inEventLoop, "EventLoop.stopAndWait called on its own thread would deadlock")
        execute { [self] in
            stopped.withLock { $0 = true }
            event_base_loopbreak(base)
        }
        exited.wait()
    }

    /// Whether the caller runs on this loop's thread.
    var inEventLoop: Bool {
        guard let id = threadID.withLock({ $0 }) else { return false }
        return pthread_equal(id, pthread_self()) != 0
    }

    /// Runs `block` on the loop thread, soon. Safe from any thread.
    func execute(_ block: @escaping @Sendable () -> Void) {
        enqueue(.block(block))
    }

    /// Runs `block` on the loop thread and returns its result.
    func submit<T: Sendable>(_ block: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            execute { continuation.resume(with: Result { try block() }) }
        }
    }

    // MARK: TaskExecutor

    func enqueue(_ job: consuming ExecutorJob) {
        enqueue(.job(UnownedJob(job)))
    }

    private func enqueue(_ item: Item) {
        let needsWake = queue.withLock { state in
            state.items.append(item)
            if state.wakePending { return false }
            state.wakePending = true
            return true
        }
        // event_active is thread-safe once evthread_use_pthreads() ran before the base was made.
        if needsWake, let wakeEvent { event_active(wakeEvent, EV_READ, 0) }
    }

    /// Runs one batch; work queued meanwhile wakes the loop again, so sockets are not starved.
    private func drainQueue() {
        let items = queue.withLock { state -> [Item] in
            state.wakePending = false
            defer { state.items.removeAll(keepingCapacity: true) }
            return state.items
        }
        for item in items {
            switch item {
            case .block(let block): block()
            case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
    }
}

/// Process-wide libevent and signal set-up, done once before the first event base.
enum LibeventSetup {
    private static let done: Void = {
        // Cross-thread event_active needs libevent's locking.
        evthread_use_pthreads()
        // A write to a closed socket must be an error, not a silent process kill (DESIGN §3).
        signal(SIGPIPE, SIG_IGN)
    }()

    static func once() { _ = done }
}

/// What a loop thread runs, handed to `pthread_create` as its context.
private final class ThreadEntry {
    let run: () -> Void
    init(run: @escaping () -> Void) { self.run = run }
}
