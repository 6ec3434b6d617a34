import EdgeRuntime
import FuzzHarness

// `TOMLParser` on arbitrary text, then `WranglerConfig`'s checks on every document it accepts.
// Any outcome but a value or a `ConfigError` (a trap, a sanitizer report) is a finding.
FuzzDriver.run { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    guard let table = try? TOMLParser.parse(text, file: "fuzz.toml") else { return }
    _ = try? WranglerConfig(table: table, file: "fuzz.toml")
}
