import EdgeRuntime

/// AWS Signature Version 4 header signing, done here with HMAC-SHA256 (no SDK), as Bedrock
/// requires of every call.
///
/// The canonical URI is the path as sent on the wire, URI-encoded once more (AWS's rule for every
/// service but S3): a Bedrock model id's `:` goes out as `%3A` and is signed as `%253A`.
struct AWSSigV4 {
    struct Credentials: Sendable {
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String?
    }

    let credentials: Credentials
    let region: String
    let service: String

    /// The headers to add to the request: `x-amz-date`, `x-amz-security-token` when there is a
    /// session token, and `authorization`. `headers` are the request's own headers to sign
    /// (`host` included); `seconds` is the signing time since 1970.
    func sign(method: String, path: String, query: String = "", headers: [(String, String)], body: [UInt8], seconds: Int)
        -> [(String, String)]
    {
        let amzDate = Self.amzDate(seconds)
        let day = String(amzDate.prefix(8))
        var added = [("x-amz-date", amzDate)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        var canonical: [String: String] = [:]
        for (name, value) in headers + added {
            let name = name.lowercased()
            let value = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            canonical[name] = canonical[name].map { $0 + "," + value } ?? value
        }
        let names = canonical.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalRequest = [
            method, Self.encode(path, keepingSlashes: true), Self.canonicalQuery(query),
            names.map { "\($0):\(canonical[$0]!)\n" }.joined(), signedHeaders, Self.hex(SHA256.hash(body)),
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(Array(canonicalRequest.utf8)))]
            .joined(separator: "\n")
        let signature = Self.hex(HMACSHA256.authenticationCode(for: Array(stringToSign.utf8), key: signingKey(day: day)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return added + [("authorization", authorization)]
    }

    /// HMAC chain from the secret through date, region and service (AWS's "signing key").
    func signingKey(day: String) -> [UInt8] {
        var key = Array("AWS4\(credentials.secretAccessKey)".utf8)
        for part in [day, region, service, "aws4_request"] {
            key = HMACSHA256.authenticationCode(for: Array(part.utf8), key: key)
        }
        return key
    }

    /// Query pairs decoded, re-encoded strictly and sorted by name, then value.
    static func canonicalQuery(_ query: String) -> String {
        query.split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (
                encode(String(parts[0]).removingPercentEncodingOrSelf, keepingSlashes: false),
                encode(parts.count > 1 ? String(parts[1]).removingPercentEncodingOrSelf : "", keepingSlashes: false)
            )
        }
        .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters (and `/` in paths).
    static func encode(_ text: String, keepingSlashes: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlashes:
                out.append("/")
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func amzDate(_ seconds: Int) -> String {
        let days = seconds / 86_400, rest = seconds % 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468, era = z / 146_097, doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)\(two(month))\(two(day))T\(two(rest / 3_600))\(two(rest % 3_600 / 60))\(two(rest % 60))Z"
    }
}
