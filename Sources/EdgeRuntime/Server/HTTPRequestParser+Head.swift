extension HTTPRequestParser {
    struct LineEnd {
        /// Index of the line's CR (or LF when bare).
        var contentEnd: Int
        /// Index after the LF.
        var next: Int
    }

    /// Finds the end of the line that starts at `start`; a bare LF ends a line too (RFC 9112 §2.2).
    /// The line's first `skipping` bytes are known to hold no LF (an earlier read's search).
    static func findLineEnd(_ buffer: [UInt8], from start: Int, to end: Int, skipping: Int = 0) -> LineEnd? {
        var i = start + skipping
        while i < end {
            if buffer[i] == UInt8(ascii: "\n") {
                let contentEnd = i > start && buffer[i - 1] == UInt8(ascii: "\r") ? i - 1 : i
                return LineEnd(contentEnd: contentEnd, next: i + 1)
            }
            i += 1
        }
        return nil
    }

    /// How far the search for the end of an unfinished head got, so the next read resumes there
    /// instead of searching the whole head again: a client trickling a 32 KiB head a byte per
    /// read cost 0.5 s of CPU. Offsets count from the request's first byte.
    struct HeadSearch {
        /// Where the request line starts, once the leading empty lines are behind.
        var requestLine: Int?
        /// The line being searched (before `requestLine` is known: how far the leading CRLFs reach).
        var line = 0
        /// How many bytes of `line` hold no LF.
        var searched = 0
    }

    /// Finds the empty line that ends the head within `limit` bytes, resuming `search`.
    static func findHeadEnd(
        _ buffer: [UInt8], from start: Int, limit: Int, search: inout HeadSearch
    ) -> (headEnd: Int, next: Int)? {
        let windowEnd = start + limit + 4
        let end = min(buffer.count, windowEnd)
        if search.requestLine == nil {
            // Leading empty lines before a request line are ignored (RFC 9112 §2.2).
            var i = start + search.line
            while i + 1 < end, buffer[i] == UInt8(ascii: "\r"), buffer[i + 1] == UInt8(ascii: "\n") { i += 2 }
            search.line = i - start
            // Unsettled while the bytes end in CRLF pairs, or in a CR that may start one.
            let settled = i + 1 < end || (i + 1 == end && buffer[i] != UInt8(ascii: "\r")) || end == windowEnd
            guard settled else { return nil }
            search.requestLine = i - start
        }
        let requestLine = start + search.requestLine!
        var lineStart = start + search.line
        var searched = search.searched
        while let line = findLineEnd(buffer, from: lineStart, to: end, skipping: searched) {
            if line.contentEnd == lineStart && lineStart != requestLine {
                return line.next - start > limit + 4 ? nil : (lineStart, line.next)
            }
            lineStart = line.next
            searched = 0
        }
        search.line = lineStart - start
        search.searched = end - lineStart
        return nil
    }

    /// Parses the request line and header fields (without the final empty line).
    static func parseHead(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> Head {
        var lines: [ArraySlice<UInt8>] = []
        lines.reserveCapacity(16)
        var start = bytes.startIndex
        while start < bytes.endIndex, bytes[start] == UInt8(ascii: "\r") || bytes[start] == UInt8(ascii: "\n") {
            start += 1
        }
        var i = start
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "\n") {
                let end = i > start && bytes[i - 1] == UInt8(ascii: "\r") ? i - 1 : i
                lines.append(bytes[start..<end])
                start = i + 1
            }
            i += 1
        }
        if start < bytes.endIndex { lines.append(bytes[start..<bytes.endIndex]) }
        guard let requestLine = lines.first else { throw ParseError(status: 400, message: "empty request") }

        let (method, target, minor) = try parseRequestLine(requestLine)
        var headers = Headers()
        for line in lines.dropFirst() {
            try parseField(line, into: &headers)
        }
        return try interpret(method: method, target: target, minor: minor, headers: headers)
    }

    private static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(ParseError) -> (String, String, Int) {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ParseError(status: 400, message: "malformed request line")
        }
        guard parts[0].allSatisfy(isTokenByte) else { throw ParseError(status: 400, message: "malformed method") }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw ParseError(status: 400, message: "malformed request target")
        }
        let version = parts[2]
        guard version.count == 8, version.starts(with: Array("HTTP/".utf8)),
            version[version.startIndex + 6] == UInt8(ascii: "."),
            isDigit(version[version.startIndex + 5]), isDigit(version[version.startIndex + 7])
        else { throw ParseError(status: 400, message: "malformed HTTP version") }
        guard version[version.startIndex + 5] == UInt8(ascii: "1") else {
            throw ParseError(status: 505, message: "only HTTP/1.x is supported")
        }
        let target = String(decoding: parts[1], as: UTF8.self)
        guard target.hasPrefix("/") || target == "*" || target.contains("://") else {
            throw ParseError(status: 400, message: "malformed request target")
        }
        return (String(decoding: parts[0], as: UTF8.self), target, Int(version[version.startIndex + 7] - 0x30))
    }

    private static func parseField(_ line: ArraySlice<UInt8>, into headers: inout Headers) throws(ParseError) {
        guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else {
            throw ParseError(status: 400, message: "obsolete header line folding is not accepted")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
            throw ParseError(status: 400, message: "malformed header field")
        }
        let name = line[line.startIndex..<colon]
        guard name.allSatisfy(isTokenByte) else { throw ParseError(status: 400, message: "malformed header name") }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        guard !value.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
            throw ParseError(status: 400, message: "control character in header value")
        }
        line.withUnsafeBytes { bytes in
            let base = line.startIndex
            headers.add(
                nameBytes: UnsafeRawBufferPointer(rebasing: bytes[0..<(colon - base)]),
                valueBytes: UnsafeRawBufferPointer(rebasing: bytes[(valueStart - base)..<(valueEnd - base)]))
        }
    }

    private static func interpret(method: String, target: String, minor: Int, headers: Headers) throws(ParseError)
        -> Head
    {
        let transferEncodings = headers.values(for: "transfer-encoding")
        let contentLengths = headers.values(for: "content-length")
        var bodyLength = BodyLength.none
        if !transferEncodings.isEmpty {
            // RFC 9112 §6.1: a request with both is a smuggling vector; refuse it.
            guard contentLengths.isEmpty else {
                throw ParseError(status: 400, message: "both Content-Length and Transfer-Encoding are present")
            }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }
                .map { $0.trimmingSpacesAndTabs.lowercased() }
            guard codings.last == "chunked" else {
                throw ParseError(status: 400, message: "Transfer-Encoding must end with chunked")
            }
            guard codings.count == 1 else {
                throw ParseError(status: 501, message: "transfer codings other than chunked are not supported")
            }
            bodyLength = .chunked
        } else if !contentLengths.isEmpty {
            let values = Set(
                contentLengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                    .map { $0.trimmingSpacesAndTabs })
            guard values.count == 1, let value = values.first, !value.isEmpty, value.utf8.count <= 18,
                value.utf8.allSatisfy(isDigit), let length = Int(value)
            else { throw ParseError(status: 400, message: "invalid Content-Length") }
            bodyLength = length == 0 ? .none : .fixed(length)
        }
        // RFC 9112 §3.2: no Host (in HTTP/1.1), more than one, or an invalid one is a 400 —
        // two hosts would let a proxy in front and this server disagree on the authority.
        let hosts = headers.values(for: "host")
        if minor >= 1 && hosts.isEmpty {
            throw ParseError(status: 400, message: "HTTP/1.1 request without Host header")
        }
        guard hosts.count <= 1 else { throw ParseError(status: 400, message: "more than one Host header") }
        if let host = hosts.first, host.utf8.contains(where: { Self.isForbiddenInHost($0) }) {
            throw ParseError(status: 400, message: "invalid Host header")
        }
        let connection = headers.values(for: "connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpacesAndTabs.lowercased() }
        let keepAlive = minor >= 1 ? !connection.contains("close") : connection.contains("keep-alive")
        let expect = headers["expect"]?.lowercased()
        return Head(
            method: method, target: target, versionMinor: minor, headers: headers, keepAlive: keepAlive,
            expectsContinue: expect == "100-continue" && bodyLength != .none, bodyLength: bodyLength)
    }

    /// Parses `1a3f[;ext]`; hex only, no sign, no overflow.
    static func parseChunkSize(_ line: ArraySlice<UInt8>) throws(ParseError) -> Int {
        var digits = line
        if let semicolon = line.firstIndex(of: UInt8(ascii: ";")) { digits = line[line.startIndex..<semicolon] }
        while let last = digits.last, last == 0x20 || last == 0x09 { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 15 else { throw ParseError(status: 400, message: "invalid chunk size") }
        var size = 0
        for byte in digits {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A") + 10)
            default: throw ParseError(status: 400, message: "invalid chunk size")
            }
            size = size << 4 | value
        }
        return size
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Bytes that can't appear in `uri-host [":" port]` (RFC 3986 §3.2.2): separators of other
    /// URI parts, list commas and whitespace.
    static func isForbiddenInHost(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "@"),
            UInt8(ascii: "\\"), 0x20, 0x09:
            true
        default: false
        }
    }

    /// RFC 9110 §5.6.2 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x30...0x39: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}

extension Headers {
    mutating func add(_ field: (String, String)) { add(field.0, field.1) }
}
