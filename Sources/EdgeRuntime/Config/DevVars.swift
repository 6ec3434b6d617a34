/// Parses a `.dev.vars` file: `KEY=value` lines holding local secrets, as wrangler reads them.
///
/// Blank lines and `#` comments are skipped; `export KEY=value` is accepted; a value may be wrapped in
/// double quotes (escapes `\n \t \" \\`) or single quotes (taken as is). An unquoted value ends at a
/// ` #` comment and is trimmed. Error messages never include a value, since every value is a secret.
public enum DevVars {
    /// The variables in `text`, by name; `file` is only used in error messages.
    /// - Throws: ``ConfigError`` naming file, line and key for a malformed line or a duplicate name.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> [String: String] {
        var variables: [String: String] = [:]
        var firstLines: [String: Int] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            var line = Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).drop { $0 == " " } }
            func failure(_ message: String, key: String?) -> ConfigError {
                ConfigError(code: .syntax, message: message, file: file, line: lineNumber, key: key)
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw failure("expected KEY=value", key: nil)
            }
            let name = String(line[..<equals].trimmingSuffix { $0 == " " || $0 == "\t" })
            guard isValidName(name) else {
                throw failure(
                    "invalid variable name (letters, digits, _ . -; not starting with a digit)",
                    key: name.isEmpty ? nil : name)
            }
            if let first = firstLines[name] {
                throw ConfigError(
                    code: .duplicateKey, message: "duplicate variable (first set on line \(first))", file: file,
                    line: lineNumber, key: name)
            }
            let rest = line[line.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            guard let value = parseValue(rest) else {
                throw failure("unterminated quoted value, or text after the closing quote", key: name)
            }
            variables[name] = value
            firstLines[name] = lineNumber
        }
        return variables
    }

    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
                || "_.-".unicodeScalars.contains($0)
        }
    }

    /// The value after `=`, or `nil` when a quote is not closed or is followed by more than a comment.
    private static func parseValue(_ text: Substring) -> String? {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            // Unquoted: up to a comment that follows whitespace, trimmed.
            var end = text.endIndex
            var previous: Character = " "
            for index in text.indices {
                if text[index] == "#" && (previous == " " || previous == "\t") {
                    end = index
                    break
                }
                previous = text[index]
            }
            return String(text[..<end].trimmingSuffix { $0 == " " || $0 == "\t" })
        }
        var value = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == quote {
                let after = text[text.index(after: index)...].drop { $0 == " " || $0 == "\t" }
                return after.isEmpty || after.hasPrefix("#") ? value : nil
            }
            if quote == "\"" && character == "\\", text.index(after: index) < text.endIndex {
                index = text.index(after: index)
                switch text[index] {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                default:
                    value.append("\\")
                    value.append(text[index])
                }
            } else {
                value.append(character)
            }
            index = text.index(after: index)
        }
        return nil
    }
}

extension Substring {
    /// Drops trailing characters matching `predicate`.
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[..<end]
    }
}
