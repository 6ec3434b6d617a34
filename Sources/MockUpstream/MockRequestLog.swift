import EdgeRuntime

/// Every request the mock received, for tests to read at `GET /__mock/requests`.
public final class MockRequestLog: Sendable {
    public struct Entry: Sendable {
        public var method: String
        public var path: String
        public var headers: [(String, String)]
        public var body: String
    }

    private let entries = LockedValue<[Entry]>([])

    public init() {}

    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    func clear() { entries.withLock { $0.removeAll() } }

    public var all: [Entry] { entries.withLock { $0 } }
}
