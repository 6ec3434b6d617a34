/// A value parsed from a TOML file, with the line it starts on so later checks can point at it.
public struct TOMLValue: Sendable, Equatable {
    /// What the value is; `line` is kept beside it rather than repeated in every case.
    public enum Kind: Sendable, Equatable {
        /// A basic or literal string.
        case string(String)
        /// A 64-bit integer.
        case integer(Int)
        /// A float, including `inf` and `nan`.
        case float(Double)
        /// `true` or `false`.
        case boolean(Bool)
        /// An array, or an array of tables (`[[name]]`) as `.table` elements.
        case array([TOMLValue])
        /// A `[table]`, dotted-key table or inline table.
        case table(TOMLTable)
    }

    /// The value itself.
    public var kind: Kind
    /// 1-based line where the value (or, for a `[table]`, its header) starts.
    public var line: Int

    /// A value of `kind` starting on `line`.
    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }

    /// The string, or `nil` for any other kind.
    public var string: String? { if case .string(let value) = kind { value } else { nil } }
    /// The integer, or `nil` for any other kind.
    public var integer: Int? { if case .integer(let value) = kind { value } else { nil } }
    /// The float, or `nil` for any other kind (integers are not converted).
    public var float: Double? { if case .float(let value) = kind { value } else { nil } }
    /// The boolean, or `nil` for any other kind.
    public var boolean: Bool? { if case .boolean(let value) = kind { value } else { nil } }
    /// The array's elements, or `nil` for any other kind (an array of tables is an array of `.table`s).
    public var array: [TOMLValue]? { if case .array(let value) = kind { value } else { nil } }
    /// The table, or `nil` for any other kind.
    public var table: TOMLTable? { if case .table(let value) = kind { value } else { nil } }

    /// The TOML name of the kind ("string", "integer", …), for error messages.
    public var typeName: String {
        switch kind {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }
}
