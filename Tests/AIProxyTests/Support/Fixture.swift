import Foundation

/// Recorded wire samples under `Tests/Fixtures/<provider>/`, read from the source tree.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ provider: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(provider).appendingPathComponent(name)))
    }

    static func text(_ provider: String, _ name: String) throws -> String {
        String(decoding: try bytes(provider, name), as: UTF8.self)
    }
}
