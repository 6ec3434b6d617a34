// Values: strings, numbers, booleans, arrays and inline tables.
extension TOMLParser {
    /// The value at the cursor; `key` names it in errors.
    mutating func parseValue(key: String) throws(ConfigError) -> TOMLValue {
        let startLine = line
        switch peek {
        case "\""?:
            if peek(at: 1) == "\"" && peek(at: 2) == "\"" {
                throw error(.syntax, "multi-line strings (\"\"\") are not supported", key)
            }
            return TOMLValue(.string(try parseBasicString(key: key)), line: startLine)
        case "'"?:
            if peek(at: 1) == "'" && peek(at: 2) == "'" {
                throw error(.syntax, "multi-line strings (''') are not supported", key)
            }
            return TOMLValue(.string(try parseLiteralString(key: key)), line: startLine)
        case "["?: return try parseArray(key: key)
        case "{"?: return try parseInlineTable(key: key)
        default: return TOMLValue(try parseBareValue(key: key), line: startLine)
        }
    }

    // MARK: Strings

    /// `"…"` with escapes, on one line.
    mutating func parseBasicString(key: String?) throws(ConfigError) -> String {
        advance()  // "
        var result = String.UnicodeScalarView()
        while true {
            guard let scalar = peek, scalar != "\n" else {
                throw error(.syntax, "unterminated string (missing closing \")", key)
            }
            advance()
            switch scalar {
            case "\"": return String(result)
            case "\\": result.append(try parseEscape(key: key))
            default:
                try checkStringScalar(scalar, key: key)
                result.append(scalar)
            }
        }
    }

    /// `'…'`, taken as is, on one line.
    mutating func parseLiteralString(key: String?) throws(ConfigError) -> String {
        advance()  // '
        var result = String.UnicodeScalarView()
        while true {
            guard let scalar = peek, scalar != "\n" else {
                throw error(.syntax, "unterminated string (missing closing ')", key)
            }
            advance()
            if scalar == "'" { return String(result) }
            try checkStringScalar(scalar, key: key)
            result.append(scalar)
        }
    }

    private mutating func parseEscape(key: String?) throws(ConfigError) -> Unicode.Scalar {
        guard let scalar = peek, scalar != "\n" else {
            throw error(.syntax, "unterminated string (missing closing \")", key)
        }
        advance()
        switch scalar {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let count = scalar == "u" ? 4 : 8
            var digits = ""
            for _ in 0..<count {
                guard let digit = peek, digit.properties.isASCIIHexDigit else {
                    throw error(.syntax, "\\\(scalar) needs \(count) hex digits", key)
                }
                digits.unicodeScalars.append(digit)
                advance()
            }
            guard let code = UInt32(digits, radix: 16), let result = Unicode.Scalar(code) else {
                throw error(.syntax, "\\\(scalar)\(digits) is not a Unicode scalar value", key)
            }
            return result
        default:
            throw error(.syntax, "invalid escape \\\(scalar) (use \\\\ for a backslash)", key)
        }
    }

    private func checkStringScalar(_ scalar: Unicode.Scalar, key: String?) throws(ConfigError) {
        if scalar == "\t" { return }
        if scalar.value < 0x20 || scalar.value == 0x7F {
            throw error(.syntax, "control character U+\(String(scalar.value, radix: 16)) in string; escape it", key)
        }
    }

    // MARK: Arrays and inline tables

    /// `[a, b, …]`, possibly over several lines, with comments and a trailing comma.
    private mutating func parseArray(key: String) throws(ConfigError) -> TOMLValue {
        let startLine = line
        advance()  // [
        var elements: [TOMLValue] = []
        while true {
            skipBlankSpace()
            if peek == "]" { break }
            guard peek != nil else { throw error(.syntax, "unterminated array (missing ])", key, at: startLine) }
            elements.append(try parseValue(key: "\(key)[\(elements.count)]"))
            skipBlankSpace()
            if peek == "," {
                advance()
            } else if peek == nil {
                throw error(.syntax, "unterminated array (missing ])", key, at: startLine)
            } else if peek != "]" {
                throw error(.syntax, "expected , or ] in array", key)
            }
        }
        advance()  // ]
        return TOMLValue(.array(elements), line: startLine)
    }

    /// `{ a = 1, b.c = "x" }` on one line; it cannot be extended later.
    private mutating func parseInlineTable(key: String) throws(ConfigError) -> TOMLValue {
        let startLine = line
        advance()  // {
        let table = TOMLTableBuilder(line: startLine, origin: .header)
        let prefix = key.isEmpty ? [] : [key]
        skipSpaces()
        if peek == "}" {
            advance()
            return TOMLValue(.table(table.build()), line: startLine)
        }
        while true {
            let path = try parseKey(prefix: prefix)
            try parseKeyValue(path: path, prefix: prefix, into: table)
            skipSpaces()
            switch peek {
            case ","?:
                advance()
                skipSpaces()
                if peek == "}" { throw error(.syntax, "trailing comma in inline table", key) }
            case "}"?:
                advance()
                return TOMLValue(.table(table.build()), line: startLine)
            default:
                throw error(.syntax, "expected , or } in inline table (inline tables stay on one line)", key)
            }
        }
    }

    // MARK: Numbers and booleans

    private mutating func parseBareValue(key: String) throws(ConfigError) -> TOMLValue.Kind {
        var token = ""
        while let scalar = peek, !" \t\r\n,]}#".unicodeScalars.contains(scalar) {
            token.unicodeScalars.append(scalar)
            advance()
        }
        if token.isEmpty { throw error(.syntax, "expected a value", key) }
        // The token is not echoed: a value typed without quotes might be a secret.
        if let kind = Self.scalarKind(token) { return kind }
        if Self.looksLikeInteger(token) { throw error(.invalidValue, "integer out of range", key) }
        if token.contains(":") || token.split(separator: "-").count > 2 {
            throw error(.invalidValue, "dates and times are not supported; quote it as a string", key)
        }
        throw error(
            .invalidValue, "invalid value (expected a quoted string, number, boolean, array or inline table)", key)
    }

    /// The boolean, integer or float spelled by `token`, or `nil`.
    static func scalarKind(_ token: String) -> TOMLValue.Kind? {
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where token.hasPrefix(prefix) {
            let digits = String(token.dropFirst(2))
            guard digitsAreSeparatedWell(digits, radix: radix) else { return nil }
            return Int(digits.replacing("_", with: ""), radix: radix).map { .integer($0) }
        }
        if looksLikeInteger(token) {
            return Int(token.replacing("_", with: "")).map { .integer($0) }
        }
        return looksLikeFloat(token) ? Double(token.replacing("_", with: "")).map { .float($0) } : nil
    }

    /// `[+-]?` then digits with single `_` between them and no leading zero.
    static func looksLikeInteger(_ token: String) -> Bool {
        let unsigned = token.first == "+" || token.first == "-" ? String(token.dropFirst()) : token
        guard digitsAreSeparatedWell(unsigned, radix: 10) else { return false }
        return !(unsigned.count > 1 && unsigned.first == "0")
    }

    /// Decimal integer part, then `.digits` and/or an exponent.
    static func looksLikeFloat(_ token: String) -> Bool {
        let lowered = token.lowercased()
        let mantissaAndExponent = lowered.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
        let mantissa = mantissaAndExponent[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard looksLikeInteger(String(mantissa[0])) else { return false }
        if mantissa.count == 2 && !digitsAreSeparatedWell(String(mantissa[1]), radix: 10) { return false }
        if mantissaAndExponent.count == 2 {
            var exponent = Substring(mantissaAndExponent[1])
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            if !digitsAreSeparatedWell(String(exponent), radix: 10) { return false }
        }
        return mantissa.count == 2 || mantissaAndExponent.count == 2
    }

    private static func digitsAreSeparatedWell(_ digits: String, radix: Int) -> Bool {
        guard !digits.isEmpty, digits.first != "_", digits.last != "_", !digits.contains("__") else { return false }
        return digits.allSatisfy { $0 == "_" || ($0.isASCII && $0.hexDigitValue.map { $0 < radix } == true) }
    }
}
