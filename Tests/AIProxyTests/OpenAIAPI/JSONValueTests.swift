import AIProxy
import Testing

@Suite struct JSONValueTests {
    @Test func parsesEveryKindAndKeepsNumberLiterals() throws {
        let value = try JSONValue(
            parsing: #" {"a": [1, -2.50, 3e2, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00"} "#)
        #expect(value["a"] == [1, .number("-2.50"), .number("3e2"), true, false, nil])
        #expect(value["s"]?.stringValue == "x\"\\/\né😀")
        #expect(value.serializedString == #"{"a":[1,-2.50,3e2,true,false,null],"s":"x\"\\/\né😀"}"#)
    }

    @Test func canonicalFormIgnoresKeyOrderAndWhitespace() throws {
        let a = try JSONValue(parsing: #"{"model":"m","messages":[{"role":"user","content":"hi"}],"seed":1}"#)
        let b = try JSONValue(
            parsing: "{ \"seed\" : 1,\n \"messages\": [ {\"content\":\"hi\", \"role\":\"user\"} ],\"model\":\"m\" }")
        #expect(a.canonical == b.canonical)
        #expect(
            String(decoding: a.canonical, as: UTF8.self)
                == #"{"messages":[{"content":"hi","role":"user"}],"model":"m","seed":1}"#)
        let c = try JSONValue(parsing: #"{"model":"m","messages":[{"role":"user","content":"hi!"}],"seed":1}"#)
        #expect(a.canonical != c.canonical)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":}", "01", "1.", "-", "tru", "\"abc", "\"\u{01}\"", "{\"a\" 1}", "[1 2]", "\"\\x\"",
        "\"\\ud800\"", "1 2", "{\"a\":1,}",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test func accessorsAndEdits() throws {
        let value = try JSONValue(parsing: #"{"temperature":0.0,"n":2,"stream":true,"x":1,"x":2}"#)
        #expect(value["temperature"]?.doubleValue == 0)
        #expect(value["n"]?.intValue == 2)
        #expect(value["stream"]?.boolValue == true)
        #expect(value["x"]?.intValue == 2, "duplicate names keep the last value")
        let edited = value.setting("stream", to: false).removing("n")
        #expect(edited["stream"] == false)
        #expect(edited["n"] == nil)
    }

    @Test func duplicateNamesKeepTheLastValueAtItsOwnPosition() throws {
        // Small objects (pairwise check) and large ones (hashed) resolve duplicates the same way.
        let small = try JSONValue(parsing: #"{"a":1,"b":2,"a":3,"c":4}"#)
        #expect(small.serializedString == #"{"b":2,"a":3,"c":4}"#)
        let names = (0..<40).map { "k\($0)" }
        let members = names.map { "\"\($0)\":1" } + [#""k3":"last""#, #""k0":"again""#]
        let large = try JSONValue(parsing: "{" + members.joined(separator: ",") + "}")
        let parsedNames = try #require(large.objectValue).map(\.0)
        #expect(parsedNames == names.filter { $0 != "k3" && $0 != "k0" } + ["k3", "k0"])
        #expect(large["k3"] == "last")
        #expect(large["k0"] == "again")
    }

    @Test func aWideObjectParsesEveryMember() throws {
        // 80k names: the duplicate check used to compare each new name with every earlier one.
        let count = 80_000
        let text = "{" + (0..<count).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        let value = try JSONValue(parsing: text)
        #expect(value.objectValue?.count == count)
        #expect(value["k79999"]?.intValue == 79_999)
    }

    @Test func manySmallContainersKeepTheirShape() throws {
        let text = "[" + Array(repeating: #"[1,{"a":[]},[2,[3]]]"#, count: 1000).joined(separator: ",") + "]"
        let value = try JSONValue(parsing: text)
        #expect(value.arrayValue?.count == 1000)
        #expect(value.arrayValue?.last == [1, ["a": []], [2, [3]]])
        #expect(value.serializedString == text)
    }

    @Test func theValueBudgetCountsScalarsContainersAndNames() throws {
        // {"a":[1,2]} is 5 values: the object, the name, the array and two numbers.
        #expect(try JSONValue(parsing: Array(#"{"a":[1,2]}"#.utf8), maxValues: 5)["a"] == [1, 2])
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(#"{"a":[1,2]}"#.utf8), maxValues: 4) }
        let many = "[" + Array(repeating: "[1]", count: 1000).joined(separator: ",") + "]"
        do {
            _ = try JSONValue(parsing: Array(many.utf8), maxValues: 1000)
            Issue.record("2001 values passed a budget of 1000")
        } catch {
            #expect(error.message.contains("more than 1000 values"))
            #expect(error.offset < many.utf8.count / 2, "refused where the budget ran out, not at the end")
        }
    }

    @Test func unicodeEscapesAreEncodedAsUTF8() throws {
        let value = try JSONValue(parsing: #""\u00e9\u4e2d\ud83d\ude00\u0041""#)
        #expect(value.stringValue == "é中😀A")
    }

    @Test func controlCharactersAreEscapedOnOutput() {
        let value: JSONValue = .string("a\u{01}b\tc")
        #expect(value.serializedString == #""a\u0001b\tc""#)
        let reparsed = try? JSONValue(parsing: value.serialized)
        #expect(reparsed == value)
    }

    /// Every byte that needs an escape, at the start, middle and end, between multibyte text:
    /// the output is exact and parses back to the same string.
    @Test func escapesAreExactAroundUnescapedRuns() throws {
        let value: JSONValue = .string("\"é\\中\n😀\r\u{1f}x\u{00}\t\"")
        #expect(value.serializedString == #""\"é\\中\n😀\r\u001fx\u0000\t\"""#)
        #expect(try JSONValue(parsing: value.serialized) == value)
        for length in 0..<40 {
            let text = String((0..<length).map { ["a", "\"", "é", "\n", "\\", "\u{7}"][$0 % 6] as Character })
            #expect(try JSONValue(parsing: JSONValue.string(text).serialized) == .string(text), "\(length)")
        }
    }

    @Test func decimalsAreWrittenExactly() {
        #expect(JSONValue.decimal(1500, scale: 3) == .number("1.5"))
        #expect(JSONValue.decimal(2000, scale: 3) == .number("2"))
        #expect(JSONValue.decimal(7, scale: 3) == .number("0.007"))
        #expect(JSONValue.decimal(-1, scale: 3) == .number("-0.001"))
        #expect(JSONValue.decimal(0, scale: 3) == .number("0"))
        #expect(JSONValue.decimal(0, scale: 6, minimumFractionDigits: 1) == .number("0.0"))
        #expect(JSONValue.decimal(Int64.min, scale: 0) == .number("-9223372036854775808"))
    }

    /// Milliseconds to the microsecond, as the log line had them through `Double`: the same text.
    @Test func decimalsAgreeWithDoubleFormatting() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let units =
                Int64.random(in: -10_000_000_000...10_000_000_000, using: &generator)
                / [1, 10, 1000, 1_000_000].randomElement(using: &generator)!
            #expect(JSONValue.decimal(units, scale: 3) == JSONValue.number(Double(units) / 1000), "\(units)")
        }
    }
}
