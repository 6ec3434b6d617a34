import EdgeRuntime
import Foundation
import Testing

@Suite struct LockedValueTests {
    /// Threads taking turns on one lock see each other's writes. Under `make sanitize` this is
    /// also the check that ThreadSanitizer understands the lock: `Synchronization.Mutex` in its
    /// place is reported as racing here, because its contended path is invisible to it.
    @Test func contendedWritersSeeEachOthersWrites() async {
        let state = LockedValue((count: 0, recent: [Int]()))
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for step in 0..<5_000 {
                        state.withLock { state in
                            state.count += 1
                            state.recent.append(writer * 10_000 + step)
                            if state.recent.count > 64 { state.recent.removeAll(keepingCapacity: true) }
                        }
                    }
                }
            }
        }
        #expect(state.withLock { $0.count } == 20_000)
    }

    @Test func errorsThrownInsideReleaseTheLock() {
        let value = LockedValue(1)
        #expect(throws: CocoaError.self) {
            try value.withLock { _ in throw CocoaError(.featureUnsupported) }
        }
        #expect(value.withLock { $0 } == 1)
    }
}
