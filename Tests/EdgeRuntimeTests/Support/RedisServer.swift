import EdgeRuntime
import Foundation

/// A real `redis-server` on a free loopback port for the test process, stopped when it exits.
final class RedisServer: @unchecked Sendable {
    // @unchecked: created once (see `shared`), then only read.
    static let shared: RedisServer? = try? RedisServer()
    /// The loop the tests' Redis clients run their connections on.
    static let loops = EventLoopGroup(threadCount: 1, name: "redis-test")

    let port: Int
    private let process: Process

    private init() throws {
        port = ScriptedTCPServer.closedPort()
        // A watchdog shell stops the server when this test process goes away, however it ends
        // (the test runner does not reliably run atexit handlers). SIGKILL: the runner's threads
        // block SIGTERM and a blocked mask is inherited across exec, so TERM would never arrive.
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c",
            "redis-server --port \(port) --bind 127.0.0.1 --save '' --appendonly no --daemonize no & r=$!; "
                + "while kill -0 \(getpid()) 2>/dev/null && kill -0 $r 2>/dev/null; do sleep 0.2; done; kill -9 $r 2>/dev/null",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until it accepts connections.
        for _ in 0..<500 {
            if let client = try? RawClient(port: port) {
                _ = client
                return
            }
            usleep(10_000)
        }
    }

    var url: String { "redis://127.0.0.1:\(port)/0" }
}
