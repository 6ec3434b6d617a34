import Foundation

/// Inputs a fuzz target (`Fuzz/Sources/fuzz-<target>`) once failed on, kept in
/// `Tests/Fixtures/fuzz-regressions/<target>/` and replayed by `FuzzRegressionTests`.
enum FuzzRegression {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz-regressions")

    /// The file names kept for `target`, sorted (none when the folder doesn't exist).
    static func names(_ target: String) -> [String] {
        let folder = root.appendingPathComponent(target).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
    }

    static func bytes(_ target: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(target).appendingPathComponent(name)))
    }
}
