/// Parses the TOML subset that `wrangler.toml` uses into a ``TOMLTable``.
///
/// Supported: `#` comments; bare, quoted and dotted keys; basic strings (`"…"` with `\" \\ \b \t \n \f \r
/// \uXXXX \UXXXXXXXX`) and literal strings (`'…'`); integers (sign, `_` separators, `0x`/`0o`/`0b`);
/// floats (including `inf`/`nan`); booleans; arrays (multi-line, trailing comma); inline tables;
/// `[table]` and `[[array.of.tables]]`. Not supported, with a clear error: multi-line strings, dates.
/// Every error is a ``ConfigError`` naming the file, line and (dotted) key.
///
/// ```swift
/// let table = try TOMLParser.parse("[dev]\nport = 8787\n", file: "wrangler.toml")
/// table["dev"]?.table?["port"]?.integer   // 8787
/// ```
public struct TOMLParser {
    let scalars: [Unicode.Scalar]
    let file: String
    var index = 0
    var line = 1

    /// The document in `text`; `file` is only used in error messages.
    /// - Throws: ``ConfigError`` (`.syntax`, `.invalidValue`, `.duplicateKey`) naming file, line and key.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> TOMLTable {
        var parser = TOMLParser(scalars: Array(text.unicodeScalars), file: file)
        return try parser.parseDocument()
    }

    private mutating func parseDocument() throws(ConfigError) -> TOMLTable {
        let root = TOMLTableBuilder(line: 1, origin: .header)
        var current = root
        var currentPath: [String] = []
        while true {
            skipSpaces()
            guard let scalar = peek else { break }
            switch scalar {
            case "#": skipComment()
            case "\n": advance()
            case "\r" where peek(at: 1) == "\n": advance()
            case "[":
                (current, currentPath) = try parseHeader(root: root)
                try expectEndOfLine(key: dotted(currentPath))
            default:
                let path = try parseKey(prefix: currentPath)
                try parseKeyValue(path: path, prefix: currentPath, into: current)
                try expectEndOfLine(key: dotted(currentPath + path))
            }
        }
        return root.build()
    }

    // MARK: Headers

    /// `[a.b]` or `[[a.b]]`: returns the table that the following keys go into.
    private mutating func parseHeader(
        root: TOMLTableBuilder
    ) throws(ConfigError) -> (TOMLTableBuilder, [String]) {
        let headerLine = line
        advance()  // [
        let isArray = peek == "["
        if isArray { advance() }
        skipSpaces()
        let path = try parseKey(prefix: [])
        skipSpaces()
        let closing = isArray ? "]]" : "]"
        for _ in closing.unicodeScalars {
            guard peek == "]" else {
                throw error(.syntax, "expected \(closing) to close the table header", dotted(path))
            }
            advance()
        }
        var table = root
        for (depth, segment) in path.dropLast().enumerated() {
            let key = dotted(Array(path[...depth]))
            switch table[segment] {
            case nil:
                let child = TOMLTableBuilder(line: headerLine, origin: .implicit)
                table.add(segment, .table(child))
                table = child
            case .table(let child)?: table = child
            case .tableArray(let array)?: table = array.tables[array.tables.count - 1]
            case .value(let value)?:
                throw error(
                    .duplicateKey, "is a \(value.typeName) (line \(value.line)), not a table", key, at: headerLine)
            }
        }
        let last = path[path.count - 1]
        let key = dotted(path)
        let existing = table[last]
        if isArray {
            let element = TOMLTableBuilder(line: headerLine, origin: .header)
            switch existing {
            case nil:
                let array = TOMLTableArrayBuilder(line: headerLine)
                array.tables.append(element)
                table.add(last, .tableArray(array))
            case .tableArray(let array)?: array.tables.append(element)
            case let other?:
                throw error(
                    .duplicateKey, "already defined on line \(other.line), not as an array of tables", key,
                    at: headerLine)
            }
            return (element, path)
        }
        switch existing {
        case nil:
            let child = TOMLTableBuilder(line: headerLine, origin: .header)
            table.add(last, .table(child))
            return (child, path)
        case .table(let child)? where child.origin == .implicit:
            child.origin = .header
            child.line = headerLine
            return (child, path)
        case let other?:
            throw error(.duplicateKey, "table already defined on line \(other.line)", key, at: headerLine)
        }
    }

    // MARK: Keys and values

    /// `a.b."c d"` as its segments; `prefix` only names the key in errors.
    mutating func parseKey(prefix: [String]) throws(ConfigError) -> [String] {
        var segments: [String] = []
        while true {
            skipSpaces()
            switch peek {
            case "\""?: segments.append(try parseBasicString(key: dotted(prefix + segments)))
            case "'"?: segments.append(try parseLiteralString(key: dotted(prefix + segments)))
            default:
                var bare = ""
                while let scalar = peek, Self.isBareKeyScalar(scalar) {
                    bare.unicodeScalars.append(scalar)
                    advance()
                }
                guard !bare.isEmpty else {
                    throw error(
                        .syntax, "expected a key", prefix.isEmpty && segments.isEmpty ? nil : dotted(prefix + segments))
                }
                segments.append(bare)
            }
            skipSpaces()
            guard peek == "." else { return segments }
            advance()
        }
    }

    /// `= value` after a key, stored into `table` (creating dotted-key tables on the way).
    mutating func parseKeyValue(
        path: [String], prefix: [String], into table: TOMLTableBuilder
    ) throws(ConfigError) {
        let key = dotted(prefix + path)
        skipSpaces()
        guard peek == "=" else { throw error(.syntax, "expected = after the key", key) }
        advance()
        skipSpaces()
        let value = try parseValue(key: key)
        try insert(value, path: path, prefix: prefix, into: table)
    }

    private func insert(
        _ value: TOMLValue, path: [String], prefix: [String], into root: TOMLTableBuilder
    ) throws(ConfigError) {
        var table = root
        for (depth, segment) in path.dropLast().enumerated() {
            let key = dotted(prefix + path[...depth])
            switch table[segment] {
            case nil:
                let child = TOMLTableBuilder(line: value.line, origin: .dottedKey)
                table.add(segment, .table(child))
                table = child
            case .table(let child)? where child.origin == .dottedKey: table = child
            case let other?:
                throw error(
                    .duplicateKey, "already defined on line \(other.line); dotted keys cannot add to it", key,
                    at: value.line)
            }
        }
        let last = path[path.count - 1]
        if let existing = table[last] {
            throw error(
                .duplicateKey, "duplicate key (first defined on line \(existing.line))", dotted(prefix + path),
                at: value.line)
        }
        table.add(last, .value(value))
    }

    // MARK: Scanning

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    func peek(at offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    mutating func advance() {
        if scalars[index] == "\n" { line += 1 }
        index += 1
    }

    mutating func skipSpaces() {
        while peek == " " || peek == "\t" { advance() }
    }

    mutating func skipComment() {
        while let scalar = peek, scalar != "\n" { advance() }
    }

    /// Spaces, comments and newlines, as allowed between array elements.
    mutating func skipBlankSpace() {
        while let scalar = peek {
            switch scalar {
            case " ", "\t", "\n", "\r": advance()
            case "#": skipComment()
            default: return
            }
        }
    }

    private mutating func expectEndOfLine(key: String?) throws(ConfigError) {
        skipSpaces()
        if peek == "#" { skipComment() }
        if peek == "\r" && peek(at: 1) == "\n" { advance() }
        guard peek == nil || peek == "\n" else {
            throw error(.syntax, "unexpected text after the value (one key = value per line)", key)
        }
    }

    static func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    func dotted<Segments: Sequence<String>>(_ segments: Segments) -> String {
        segments.joined(separator: ".")
    }

    func error(_ code: ConfigError.Code, _ message: String, _ key: String?, at line: Int? = nil) -> ConfigError {
        ConfigError(code: code, message: message, file: file, line: line ?? self.line, key: key)
    }
}
