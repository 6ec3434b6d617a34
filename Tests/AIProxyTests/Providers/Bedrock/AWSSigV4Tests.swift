import EdgeRuntime
import Testing

@testable import AIProxy

/// AWS's published Signature Version 4 test suite (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z,
/// us-east-1, service "service"): our signer must produce the suite's signatures exactly.
@Suite struct AWSSigV4Tests {
    static let signer = AWSSigV4(
        credentials: .init(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    static let at = 1_440_938_160  // 20150830T123600Z
    static let host = [("Host", "example.amazonaws.com")]

    static func authorization(_ signed: [(String, String)]) -> String? { signed.first { $0.0 == "authorization" }?.1 }

    @Test func amzDateIsUTCBasicFormat() {
        #expect(AWSSigV4.amzDate(Self.at) == "20150830T123600Z")
        #expect(AWSSigV4.amzDate(951_782_400) == "20000229T000000Z")  // a leap day
    }

    @Test(arguments: [
        // (suite case, method, path, query, signature)
        ("get-vanilla", "GET", "/", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1",
         "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        ("get-utf8", "GET", "/ሴ", "", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        ("post-vanilla", "POST", "/", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
    ])
    func suiteCase(_ name: String, method: String, path: String, query: String, signature: String) {
        let signed = Self.signer.sign(method: method, path: path, query: query, headers: Self.host, body: [], seconds: Self.at)
        #expect(signed.first { $0.0 == "x-amz-date" }?.1 == "20150830T123600Z")
        #expect(
            Self.authorization(signed)
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=\(signature)", "\(name)")
    }

    @Test func postWithASignedBodyAndContentType() {
        // post-x-www-form-urlencoded: the body's SHA-256 and the content type are signed.
        let signed = Self.signer.sign(
            method: "POST", path: "/", headers: Self.host + [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("Param1=value1".utf8), seconds: Self.at)
        #expect(
            Self.authorization(signed)
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }

    @Test func sessionTokenIsSentAndSigned() {
        // get-vanilla-with-session-token.
        var signer = Self.signer
        signer = AWSSigV4(
            credentials: .init(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: signer.credentials.secretAccessKey,
                sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"),
            region: "us-east-1", service: "service")
        let signed = signer.sign(method: "GET", path: "/", headers: Self.host, body: [], seconds: Self.at)
        #expect(signed.first { $0.0 == "x-amz-security-token" }?.1 == "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")
        #expect(
            Self.authorization(signed)
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")
    }

    @Test func bedrockModelIdIsEncodedOnTheWireAndAgainInTheCanonicalPath() throws {
        let adapter = BedrockAdapter(clock: ManualWallClock(now: Double(Self.at)))
        let call = ProxyCall(
            operation: .chatCompletions, method: .post, path: "/chat/completions",
            body: ["model": "anthropic.claude-3-5-sonnet-20241022-v2:0", "messages": [["role": "user", "content": "hi"]]])
        let endpoint = Endpoint(
            name: "b", kind: .bedrock, baseURL: "https://bedrock-runtime.{region}.amazonaws.com", secret: "AKIDEXAMPLE:secret",
            options: ["region": "eu-west-3"])
        let request = try adapter.makeRequest(for: call, endpoint: endpoint)
        #expect(request.url == "https://bedrock-runtime.eu-west-3.amazonaws.com/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse")
        #expect(request.headers["host"] == "bedrock-runtime.eu-west-3.amazonaws.com")
        let authorization = try #require(request.headers["authorization"])
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-3/bedrock/aws4_request, "))
        #expect(authorization.contains("SignedHeaders=accept;content-type;host;x-amz-date,"))
        #expect(AWSSigV4.encode("/model/a%3A0/converse", keepingSlashes: true) == "/model/a%253A0/converse")
    }
}
