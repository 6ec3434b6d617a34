import EdgeRuntime
import Testing

@Suite struct RequestTests {
    @Test func urlPartsAreViewsOfTheAbsoluteURL() {
        let request = Request(url: "http://127.0.0.1:8080/model/a%3A0/converse?x=1&y=a+b")
        #expect(request.authority == "127.0.0.1:8080")
        #expect(request.path == "/model/a%3A0/converse")
        #expect(request.query == "x=1&y=a+b")
        #expect(request.queryParameter("y") == "a b")
        #expect(Request(url: "https://bedrock-runtime.us-east-1.amazonaws.com").authority == "bedrock-runtime.us-east-1.amazonaws.com")
        #expect(Request(url: "/relative/path").authority == "")
        #expect(Request(url: "/relative/path").path == "/relative/path")
    }
}
