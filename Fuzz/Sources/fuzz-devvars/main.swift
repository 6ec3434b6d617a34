import EdgeRuntime
import FuzzHarness

// `DevVars.parse` on arbitrary text: it returns the variables or a `ConfigError` naming a line
// that exists in the file.
FuzzDriver.run { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    do throws(ConfigError) {
        _ = try DevVars.parse(text, file: ".dev.vars")
    } catch {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let line = error.line else { fuzzFailure("error without a line: \(error)") }
        fuzzCheck((1...lines.count).contains(line), "error on line \(line) of a \(lines.count)-line file")
    }
}
