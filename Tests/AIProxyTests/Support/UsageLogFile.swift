import AIProxy
import Foundation

/// A temporary `USAGE_LOG` file and the events written to it.
struct UsageLogFile: Sendable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("usage-\(UUID().uuidString).jsonl").path

    /// The events so far, waiting up to 5 s for `count` of them.
    func events(_ count: Int) async throws -> [JSONValue] {
        var lines: [String] = []
        for _ in 0..<500 {
            lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            if lines.count >= count { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try lines.map { try JSONValue(parsing: $0) }
    }
}
