/// A table under construction, with the facts TOML's redefinition rules need.
///
/// Reference types because `[a.b]` headers and dotted keys reach back into tables made earlier.
final class TOMLTableBuilder {
    /// What a key in a table under construction holds.
    enum Child {
        /// A finished value: scalars, static arrays and inline tables, which can never be extended.
        case value(TOMLValue)
        case table(TOMLTableBuilder)
        case tableArray(TOMLTableArrayBuilder)

        var line: Int {
            switch self {
            case .value(let value): value.line
            case .table(let table): table.line
            case .tableArray(let array): array.line
            }
        }
    }

    enum Origin {
        /// Made on the way to a deeper `[a.b.c]` header; a later `[a]` may still define it.
        case implicit
        /// Defined by its own `[header]` (or as an element of `[[array]]`).
        case header
        /// Made by a dotted key (`a.b = 1`); only more dotted keys may add to it.
        case dottedKey
    }

    private(set) var keys: [String] = []
    private(set) var children: [String: Child] = [:]
    var line: Int
    var origin: Origin

    init(line: Int, origin: Origin) {
        self.line = line
        self.origin = origin
    }

    subscript(key: String) -> Child? { children[key] }

    func add(_ key: String, _ child: Child) {
        precondition(children[key] == nil, "invariant: TOML keys are checked for duplicates before add")
        keys.append(key)
        children[key] = child
    }

    /// The finished, immutable table.
    func build() -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            switch children[key]! {
            case .value(let value): table.set(key, value)
            case .table(let child): table.set(key, TOMLValue(.table(child.build()), line: child.line))
            case .tableArray(let array):
                let tables = array.tables.map { TOMLValue(.table($0.build()), line: $0.line) }
                table.set(key, TOMLValue(.array(tables), line: array.line))
            }
        }
        return table
    }
}

/// An array of tables under construction (`[[name]]`); each header appends one table.
final class TOMLTableArrayBuilder {
    var tables: [TOMLTableBuilder] = []
    let line: Int
    init(line: Int) { self.line = line }
}
