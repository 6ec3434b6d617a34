/// Typed, checked reads from one TOML table, with errors that name the file, line and dotted key.
struct ConfigTable {
    let table: TOMLTable
    let file: String
    /// Dotted path of this table (`"server"`, `"kv_namespaces[1]"`), prefixed to keys in errors.
    let path: String
    /// Line of the table's header, for errors about missing keys.
    let line: Int

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func failure(_ code: ConfigError.Code, _ message: String, key name: String, line: Int? = nil) -> ConfigError {
        ConfigError(code: code, message: message, file: file, line: line ?? self.line, key: key(name))
    }

    /// Rejects any key not in `known`, so a typo is an error instead of a silently ignored setting.
    func rejectUnknownKeys(_ known: [String], context: String) throws(ConfigError) {
        for (name, value) in table.entries where !known.contains(name) {
            throw failure(
                .unknownKey, "unknown key in \(context) (expected one of: \(known.joined(separator: ", ")))",
                key: name, line: value.line)
        }
    }

    func string(_ name: String) throws(ConfigError) -> String? {
        guard let value = table[name] else { return nil }
        guard let string = value.string else { throw wrongType(name, value, expected: "a string") }
        return string
    }

    func nonEmptyString(_ name: String) throws(ConfigError) -> String? {
        guard let string = try string(name) else { return nil }
        if string.isEmpty { throw failure(.invalidValue, "must not be empty", key: name, line: table[name]!.line) }
        return string
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = table[name] else { return nil }
        guard let integer = value.integer else { throw wrongType(name, value, expected: "an integer") }
        guard range.contains(integer) else {
            throw failure(
                .invalidValue, "\(integer) is out of range \(range.lowerBound)...\(range.upperBound)", key: name,
                line: value.line)
        }
        return integer
    }

    func subtable(_ name: String) throws(ConfigError) -> ConfigTable? {
        guard let value = table[name] else { return nil }
        guard let child = value.table else { throw wrongType(name, value, expected: "a table") }
        return ConfigTable(table: child, file: file, path: key(name), line: value.line)
    }

    func wrongType(_ name: String, _ value: TOMLValue, expected: String) -> ConfigError {
        failure(.invalidValue, "must be \(expected), not a \(value.typeName)", key: name, line: value.line)
    }
}
