import EdgeRuntime
import Foundation
import Testing

@Suite struct FileKVTests {
    func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("filekv-\(UUID().uuidString)").path
    }

    func files(in directory: String) -> [String] {
        (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).filter {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directory + "/" + $0, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }
    }

    @Test func writesLeaveNoTemporaryFilesAndNamesNeverShowTheKey() async throws {
        let path = directory()
        let kv = try FileKV(directory: path)
        for i in 0..<20 { try await kv.put("secret-key-\(i)", [UInt8(i)]) }
        let names = files(in: path)
        #expect(names.count == 20)
        #expect(!names.contains { $0.contains(".tmp-") })
        #expect(!names.contains { $0.contains("secret") })
    }

    @Test func strayFilesAreIgnoredAndDataSurvivesANewInstance() async throws {
        let path = directory()
        do {
            let kv = try FileKV(directory: path)
            try await kv.put("kept", Array("value".utf8), expirationTTL: nil, metadata: "m")
        }
        // A crashed write's temp file and a foreign file must not show up as keys.
        let shard = path + "/zz"
        try FileManager.default.createDirectory(atPath: shard, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: shard + "/.tmp-crashed", contents: Data("half".utf8))
        FileManager.default.createFile(atPath: shard + "/garbage", contents: Data("not a record".utf8))
        let reopened = try FileKV(directory: path)
        #expect(try await reopened.getWithMetadata("kept") == KVEntry(value: Array("value".utf8), metadata: "m"))
        #expect(try await reopened.list(prefix: "").keys.map(\.name) == ["kept"])
    }

    @Test func sweepRemovesExpiredFiles() async throws {
        let path = directory()
        let clock = ManualWallClock()
        let kv = try FileKV(directory: path, clock: clock)
        try await kv.put("old", [1], expirationTTL: .seconds(10))
        try await kv.put("new", [2], expirationTTL: .seconds(100))
        clock.advance(by: 50)
        #expect(try await kv.sweepExpired() == 1)
        #expect(files(in: path).count == 1)
        #expect(try await kv.get("new") == [2])
    }
}
