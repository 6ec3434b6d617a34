import EdgeRuntime
import Testing

@Suite struct TOMLParserTests {
    @Test func parsesTheSupportedSyntax() throws {
        let text = """
            # leading comment
            name = "aiproxy"   # trailing comment
            "quoted key" = 'C:\\no\\escapes'
            escapes = "tab\\tquote\\" backslash\\\\ newline\\n \\u00e9 \\U0001F600"
            site.owner.name = "dotted"
            site . owner . id = 7
            ints = [1, +2, -3, 1_000, 0x1F, 0o17, 0b101, 0]
            floats = [1.5, -0.25, 5e3, 6.02E+23, inf, -inf]
            flags = [true, false]
            empty = []
            mixed = [
              "a",   # a comment inside
              [1, 2],
              { x = 1, y.z = "w" },
            ]

            [dev]
            port = 8787

            [server.limits]
            max = 10

            [[kv_namespaces]]
            binding = "CACHE"

            [[kv_namespaces]]
            binding = "CONTROL"
            [kv_namespaces.options]
            fast = true
            """
        let table = try TOMLParser.parse(text, file: "t.toml")
        #expect(
            table.keys == [
                "name", "quoted key", "escapes", "site", "ints", "floats", "flags", "empty", "mixed", "dev", "server",
                "kv_namespaces",
            ])
        #expect(table["name"] == TOMLValue(.string("aiproxy"), line: 2))
        #expect(table["quoted key"]?.string == #"C:\no\escapes"#)
        #expect(table["escapes"]?.string == "tab\tquote\" backslash\\ newline\n é 😀")
        let owner = table["site"]?.table?["owner"]?.table
        #expect(owner?["name"]?.string == "dotted")
        #expect(owner?["id"]?.integer == 7)
        #expect(table["ints"]?.array?.compactMap(\.integer) == [1, 2, -3, 1000, 31, 15, 5, 0])
        #expect(table["floats"]?.array?.compactMap(\.float) == [1.5, -0.25, 5000, 6.02e23, .infinity, -.infinity])
        #expect(table["flags"]?.array?.compactMap(\.boolean) == [true, false])
        #expect(table["empty"]?.array == [])

        let mixed = try #require(table["mixed"]?.array)
        #expect(table["mixed"]?.line == 11)
        #expect(mixed.map(\.line) == [12, 13, 14])
        #expect(mixed[0].string == "a")
        #expect(mixed[1].array?.compactMap(\.integer) == [1, 2])
        #expect(mixed[2].table?["x"]?.integer == 1)
        #expect(mixed[2].table?["y"]?.table?["z"]?.string == "w")

        #expect(table["dev"]?.line == 17)
        #expect(table["dev"]?.table?["port"] == TOMLValue(.integer(8787), line: 18))
        #expect(table["server"]?.table?["limits"]?.table?["max"]?.integer == 10)

        let namespaces = try #require(table["kv_namespaces"]?.array)
        #expect(namespaces.map(\.line) == [23, 26])
        #expect(namespaces.compactMap { $0.table?["binding"]?.string } == ["CACHE", "CONTROL"])
        #expect(namespaces[1].table?["options"]?.table?["fast"]?.boolean == true)
    }

    @Test func acceptsTablesDefinedOutOfOrderAndCRLF() throws {
        let text = "[a.b.c]\r\nx = 1\r\n[a]\r\ny = 2\r\n[a.b.d]\r\nz = 3\r\n"
        let a = try #require(TOMLParser.parse(text, file: "t.toml")["a"]?.table)
        #expect(a["y"]?.integer == 2)
        #expect(a["b"]?.table?["c"]?.table?["x"]?.integer == 1)
        #expect(a["b"]?.table?["d"]?.table?["z"]?.integer == 3)
    }

    @Test func emptyDocumentIsAnEmptyTable() throws {
        #expect(try TOMLParser.parse("", file: "t.toml").count == 0)
        #expect(try TOMLParser.parse("# only a comment\n\n", file: "t.toml").count == 0)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let line: Int
        let key: String?
        let code: ConfigError.Code
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "duplicate key", text: "a = 1\n\nb = 2\na = 3\n", line: 4, key: "a", code: .duplicateKey),
        BadInput(
            name: "duplicate key in a table", text: "[dev]\nport = 1\nport = 2\n", line: 3, key: "dev.port",
            code: .duplicateKey),
        BadInput(name: "table defined twice", text: "[dev]\nx = 1\n[dev]\n", line: 3, key: "dev", code: .duplicateKey),
        BadInput(
            name: "header over a dotted-key table", text: "a.b = 1\n[a]\n", line: 2, key: "a", code: .duplicateKey),
        BadInput(
            name: "array of tables over a table", text: "[x]\n[[x]]\n", line: 2, key: "x", code: .duplicateKey),
        BadInput(
            name: "dotted key through a value", text: "a = 1\na.b = 2\n", line: 2, key: "a", code: .duplicateKey),
        BadInput(
            name: "header through a value", text: "a = 1\n[a.b]\n", line: 2, key: "a", code: .duplicateKey),
        BadInput(
            name: "unterminated string", text: "\nname = \"aiproxy\nx = 1\n", line: 2, key: "name", code: .syntax),
        BadInput(name: "unterminated literal", text: "name = 'x\n", line: 1, key: "name", code: .syntax),
        BadInput(name: "invalid escape", text: "s = \"a\\qb\"\n", line: 1, key: "s", code: .syntax),
        BadInput(name: "bad \\u escape", text: "s = \"\\u12\"\n", line: 1, key: "s", code: .syntax),
        BadInput(name: "bare word value", text: "[dev]\nip = localhost\n", line: 2, key: "dev.ip", code: .invalidValue),
        BadInput(name: "leading zero", text: "port = 08787\n", line: 1, key: "port", code: .invalidValue),
        BadInput(name: "double underscore", text: "n = 1__0\n", line: 1, key: "n", code: .invalidValue),
        BadInput(
            name: "integer overflow", text: "n = 99999999999999999999\n", line: 1, key: "n", code: .invalidValue),
        BadInput(name: "date", text: "d = 1979-05-27\n", line: 1, key: "d", code: .invalidValue),
        BadInput(name: "missing value", text: "a =\n", line: 1, key: "a", code: .syntax),
        BadInput(name: "missing equals", text: "a 1\n", line: 1, key: "a", code: .syntax),
        BadInput(name: "two values on a line", text: "a = 1 b = 2\n", line: 1, key: "a", code: .syntax),
        BadInput(
            name: "unterminated array (names its first line)", text: "a = [1,\n2,\n", line: 1, key: "a", code: .syntax),
        BadInput(name: "missing comma in array", text: "a = [1\n 2]\n", line: 2, key: "a", code: .syntax),
        BadInput(name: "inline table trailing comma", text: "t = { a = 1, }\n", line: 1, key: "t", code: .syntax),
        BadInput(name: "inline table over lines", text: "t = { a = 1\n}\n", line: 1, key: "t", code: .syntax),
        BadInput(
            name: "duplicate in inline table", text: "t = { a = 1, a = 2 }\n", line: 1, key: "t.a",
            code: .duplicateKey),
        BadInput(name: "multi-line string", text: "s = \"\"\"\nx\n\"\"\"\n", line: 1, key: "s", code: .syntax),
        BadInput(name: "unclosed header", text: "[dev\n", line: 1, key: "dev", code: .syntax),
        BadInput(name: "empty key", text: "= 1\n", line: 1, key: nil, code: .syntax),
    ]

    @Test(arguments: badInputs) func errorsNameFileLineAndKey(_ input: BadInput) {
        do {
            _ = try TOMLParser.parse(input.text, file: "conf/wrangler.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == input.code)
            #expect(error.file == "conf/wrangler.toml")
            #expect(error.line == input.line)
            #expect(error.key == input.key)
            #expect(error.description.hasPrefix("conf/wrangler.toml:\(input.line): "))
            if let key = input.key { #expect(error.description.contains("\(key): ")) }
        }
    }

    @Test func badValueErrorDoesNotEchoTheValue() {
        #expect {
            try TOMLParser.parse("[vars]\nOPENAI_API_KEY = sk-live-123\n", file: "w.toml")
        } throws: { error in
            let description = (error as? ConfigError)?.description ?? ""
            return description.contains("vars.OPENAI_API_KEY") && !description.contains("sk-live-123")
        }
    }
}
