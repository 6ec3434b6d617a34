import EdgeRuntime
import Foundation
import Testing

/// A Redis that stops answering (SIGSTOP: connections stay open, nothing replies, as a hung
/// server does) trips the breaker; commands then fail at once; SIGCONT and a probe close it.
@Suite(.serialized) struct RedisClientTests {
    @Test func aHungRedisIsFailedFastAndProbedBackToHealth() async throws {
        let server = try StoppableRedis()
        defer { server.kill() }
        let client = RedisClient(
            url: try RedisURL(server.url), group: RedisServer.loops, failureThreshold: 3,
            probeInterval: .milliseconds(200),
            logger: Logger(label: "test", level: .error))
        let kv = RedisKV(
            client: client, prefix: "breaker-test:", timeout: .milliseconds(300), readTimeout: .milliseconds(100))
        try await kv.put("k", Array("v".utf8))
        #expect(try await kv.get("k") == Array("v".utf8))
        #expect(kv.health.isUp)

        server.pause()
        var codes: [KVError.Code] = []
        for _ in 0..<3 {
            do {
                _ = try await kv.get("k")
            } catch let error as KVError {
                codes.append(error.code)
            }
        }
        #expect(codes == [.timeout, .timeout, .timeout], "every read timed out while Redis hung")
        #expect(!kv.health.isUp)
        #expect(kv.health.downSince != nil)
        // Open: the next command doesn't wait for a timeout; it fails as unavailable.
        await #expect(throws: KVError.self) { try await kv.put("k", Array("w".utf8)) }
        do {
            _ = try await kv.get("k")
            Issue.record("a read succeeded against a stopped Redis")
        } catch let error as KVError {
            #expect(error.code == .unavailable)
        }

        server.resume()
        #expect(await eventually(within: 10) { kv.health.isUp }, "a probe closed the breaker")
        #expect(try await kv.get("k") == Array("v".utf8))
    }

    /// Commands are written without waiting for epoll to say the socket can take them; one the
    /// socket can't take at once (larger than its buffer) must still go out whole, and commands
    /// sent together from many tasks must each get their own reply.
    @Test func largeAndConcurrentCommandsAllArriveWhole() async throws {
        let server = try StoppableRedis()
        defer { server.kill() }
        let client = RedisClient(
            url: try RedisURL(server.url), group: RedisServer.loops, logger: Logger(label: "test", level: .error))
        let kv = RedisKV(client: client, prefix: "write-test:", timeout: .seconds(10))
        // Cheap to build (this runs beside timing-sensitive tests): one byte repeated, with a
        // marker every 64 KiB so a chunk out of place would show.
        let large: [UInt8] = {
            var bytes = [UInt8](repeating: 0x61, count: 8 << 20)
            for offset in stride(from: 0, to: bytes.count, by: 1 << 16) {
                bytes[offset] = UInt8(truncatingIfNeeded: offset >> 16)
            }
            return bytes
        }()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await kv.put("large", large) }
            for index in 0..<200 {
                group.addTask { try await kv.put("small-\(index)", Array("value \(index)".utf8)) }
            }
            try await group.waitForAll()
        }
        #expect(try await kv.get("large") == large)
        let values = try await withThrowingTaskGroup(of: (Int, [UInt8]?).self) { group in
            for index in 0..<200 { group.addTask { (index, try await kv.get("small-\(index)")) } }
            return try await group.reduce(into: [Int: [UInt8]?]()) { $0[$1.0] = $1.1 }
        }
        for index in 0..<200 { #expect(values[index] == Array("value \(index)".utf8)) }
    }

    @Test func aRedisErrorReplyDoesNotCountAsDown() async throws {
        let server = try StoppableRedis()
        defer { server.kill() }
        let client = RedisClient(
            url: try RedisURL(server.url), group: RedisServer.loops, failureThreshold: 1,
            logger: Logger(label: "test", level: .error))
        let kv = RedisKV(client: client, prefix: "breaker-test:")
        // A key of another type makes GET answer WRONGTYPE: Redis is up and says so.
        let raw = try RawClient(port: server.port)
        try await raw.send("*3\r\n$5\r\nLPUSH\r\n$14\r\nbreaker-test:l\r\n$1\r\nx\r\n")
        _ = try await raw.read(until: "\r\n")
        await #expect(throws: KVError.self) { _ = try await kv.get("l") }
        #expect(kv.health.isUp)
    }
}

/// A redis-server of the test's own, which the test can pause (SIGSTOP) and resume.
final class StoppableRedis: Sendable {
    let port: Int
    private let pid: Int32

    init() throws {
        port = ScriptedTCPServer.closedPort()
        // As RedisServer: a watchdog shell kills the server when the test process goes away.
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c",
            "redis-server --port \(port) --bind 127.0.0.1 --save '' --appendonly no & r=$!; echo $r; "
                + "while kill -0 \(getpid()) 2>/dev/null && kill -0 $r 2>/dev/null; do sleep 0.2; done; kill -CONT $r; kill -9 $r 2>/dev/null",
        ]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { line.append(byte) }
        guard let pid = Int32(String(decoding: line, as: UTF8.self)) else {
            throw KVError(code: .backend, message: "redis-server did not start")
        }
        self.pid = pid
        for _ in 0..<500 {
            if (try? RawClient(port: port)) != nil { return }
            usleep(10_000)
        }
        throw KVError(code: .backend, message: "redis-server did not start")
    }

    var url: String { "redis://127.0.0.1:\(port)/0" }
    func pause() { Foundation.kill(pid, SIGSTOP) }
    func resume() { Foundation.kill(pid, SIGCONT) }
    func kill() {
        Foundation.kill(pid, SIGCONT)
        Foundation.kill(pid, SIGKILL)
    }
}
