import EdgeRuntime
import Testing

@Suite struct HeadersTests {
    @Test func namesAreCaseInsensitive() {
        let headers: Headers = ["Content-Type": "application/json"]
        #expect(headers["content-type"] == "application/json")
        #expect(headers["CONTENT-TYPE"] == "application/json")
        #expect(headers["content-typf"] == nil)
    }

    @Test func multipleValuesKeepOrderAndSetReplacesAll() {
        var headers = Headers()
        headers.add("Set-Cookie", "a=1")
        headers.add("x-other", "o")
        headers.add("set-cookie", "b=2")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        headers.set("set-cookie", "c=3")
        #expect(headers.values(for: "set-cookie") == ["c=3"])
        #expect(headers.map(\.name) == ["Set-Cookie", "x-other"])
        headers["x-other"] = nil
        #expect(!headers.contains("x-other"))
        #expect(headers.count == 1)
    }

    @Test func nonLettersAreNotFoldedTogether() {
        // '@' (0x40) | 0x20 == '`' (0x60): only letters may compare case-insensitively.
        let headers: Headers = ["a@": "1"]
        #expect(headers["a`"] == nil)
    }

    @Test func selectingKeepsTheNamedFieldsInOrderWhateverTheirCase() {
        let headers: Headers = [
            "Accept": "a", "Authorization": "secret", "User-Agent": "u", "accept": "b", "cookie": "c",
        ]
        let selected = headers.selecting(["accept", "user-agent"])
        #expect(selected.map(\.name) == ["Accept", "User-Agent", "accept"])
        #expect(selected.values(for: "ACCEPT") == ["a", "b"])
        #expect(!selected.contains("authorization"))
    }

    @Test func excludingDropsTheNamedFieldsAndKeepsTheRestAsTheyWere() {
        let headers: Headers = [
            "Content-Type": "j", "Set-Cookie": "a=1", "X-Up": "1", "set-cookie": "b=2", "x-up": "2",
        ]
        let kept = headers.excluding(["set-cookie", "connection"])
        #expect(kept.map(\.name) == ["Content-Type", "X-Up", "x-up"], "order and spelling kept")
        #expect(kept.values(for: "X-UP") == ["1", "2"])
        #expect(!kept.contains("Set-Cookie"))
        #expect(headers.excluding([]) == headers)
    }

    @Test func namesMatchOnlyWhenEveryByteDoes() {
        let field = Headers.Field(name: "Content-Type", value: "x")
        #expect(field.hasName("content-type"))
        #expect(!field.hasName("content-typ"))
        #expect(!field.hasName("content-types"))
        #expect(field.hasName(in: ["host", "content-type"]))
        #expect(!field.hasName(in: ["host", "content-length"]))
    }
}
