import EdgeRuntime
import Testing

@Suite struct DevVarsTests {
    @Test func parsesValuesQuotesCommentsAndExport() throws {
        let text = """
            # local secrets
            OPENAI_API_KEY=sk-test-1

            export ANTHROPIC_API_KEY = "an \\"escaped\\" value\\n"
            SINGLE='literal \\n # not a comment'
            TRAILING=value   # comment
            HASH=abc#def
            EMPTY=
            EQUALS=a=b=c\r
            """
        let vars = try DevVars.parse(text, file: ".dev.vars")
        #expect(
            vars == [
                "OPENAI_API_KEY": "sk-test-1",
                "ANTHROPIC_API_KEY": "an \"escaped\" value\n",
                "SINGLE": "literal \\n # not a comment",
                "TRAILING": "value",
                "HASH": "abc#def",
                "EMPTY": "",
                "EQUALS": "a=b=c",
            ])
    }

    struct BadLine: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let line: Int
        let key: String?
        var testDescription: String { name }
    }

    static let badLines: [BadLine] = [
        BadLine(name: "no equals sign", text: "A=1\njust text\n", line: 2, key: nil),
        BadLine(name: "bad name", text: "\n\n1ABC=x\n", line: 3, key: "1ABC"),
        BadLine(name: "unterminated quote", text: "A=\"open\n", line: 1, key: "A"),
        BadLine(name: "text after quote", text: "A='x' y\n", line: 1, key: "A"),
        BadLine(name: "duplicate", text: "A=1\nB=2\nA=3\n", line: 3, key: "A"),
    ]

    @Test(arguments: badLines) func errorsNameFileAndLineButNotTheValue(_ bad: BadLine) {
        do {
            _ = try DevVars.parse(bad.text, file: "dir/.dev.vars")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "dir/.dev.vars")
            #expect(error.line == bad.line)
            #expect(error.key == bad.key)
            #expect(error.description.hasPrefix("dir/.dev.vars:\(bad.line): "))
            #expect(!error.description.contains("open") && !error.description.contains("'x'"))
        }
    }
}
