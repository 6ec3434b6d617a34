import FoundationEssentials

/// An HTTP request: what the server hands a worker, and what a worker hands ``FetchClient/fetch(_:)``.
///
/// `url` is absolute (`http://host/path?query`), as in Workers; `path` and `query` are its parts,
/// split once when the URL is set (a request's handlers read them many times).
public struct Request: Sendable {
    public var method: HTTPMethod
    public var url: String {
        didSet { (path, query) = Self.split(url) }
    }
    public var headers: Headers
    public var body: Body
    /// The peer's address, for requests that came in through the server.
    public var remoteAddress: String?

    public init(method: HTTPMethod = .get, url: String, headers: Headers = [:], body: Body = .empty) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        (path, query) = Self.split(url)
    }

    /// The path part of `url`, `/` when it has none.
    public private(set) var path: String

    /// The query part of `url` after `?`, or `nil`.
    public private(set) var query: String?

    /// Path and query of `url`, found by scanning bytes (not `Character`s).
    private static func split(_ url: String) -> (path: String, query: String?) {
        let target = Self.target(of: url)
        guard let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (String(target), nil) }
        return (String(target[..<question]), String(target[target.utf8.index(after: question)...]))
    }

    /// The value of query parameter `name`, percent-decoded.
    public func queryParameter(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name {
                let raw = parts.count > 1 ? String(parts[1]) : ""
                return raw.replacing("+", with: " ").removingPercentEncodingOrSelf
            }
        }
        return nil
    }

    /// `host[:port]` of `url`, as a `Host` header carries it; empty for a URL without one.
    public var authority: Substring {
        guard let start = Self.afterScheme(url) else { return "" }
        let end = url.utf8[start...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? url.endIndex
        return url[start..<end]
    }

    /// Path and query (the origin-form request target), without scheme and authority.
    var target: Substring { Self.target(of: url) }

    private static func target(of url: String) -> Substring {
        guard let start = afterScheme(url) else { return Substring(url) }
        guard let slash = url.utf8[start...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") })
        else { return "/" }
        return url[slash...]
    }

    /// Where the authority starts: after `scheme://`, or `nil` when `url` has no scheme.
    private static func afterScheme(_ url: String) -> String.Index? {
        // Byte scan, not `range(of:)`: this runs several times per request.
        let utf8 = url.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: ":") {
                let next = utf8.index(after: index)
                if next < utf8.endIndex, utf8[next] == UInt8(ascii: "/"), utf8.index(after: next) < utf8.endIndex,
                    utf8[utf8.index(after: next)] == UInt8(ascii: "/")
                {
                    return utf8.index(next, offsetBy: 2)
                }
                return nil
            }
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") { return nil }
            index = utf8.index(after: index)
        }
        return nil
    }
}

extension String {
    /// Percent-decodes UTF-8 escapes; leaves malformed escapes as they are.
    public var removingPercentEncodingOrSelf: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let hi = hexValue(iterator[iterator.startIndex]), let lo = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(hi << 4 | lo)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
