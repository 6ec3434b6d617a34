/// Finds a reply's `"usage": {…}` object without parsing the reply: the last `"usage"` key not
/// inside a string, and its object by bracket counting (strings skipped). Replies put their usage
/// last, so this reads a few hundred bytes instead of the whole body.
enum UsageObjectScanner {
    static func lastUsageObject(in body: [UInt8]) -> ArraySlice<UInt8>? {
        let key = Array("\"usage\"".utf8)
        var end = body.count - key.count
        while end >= 0 {
            if body[end] == UInt8(ascii: "\""), body[end..<end + key.count].elementsEqual(key),
                end == 0 || body[end - 1] != UInt8(ascii: "\\")
            {
                var index = end + key.count
                while index < body.count, [0x20, 0x09, 0x0A, 0x0D].contains(body[index]) { index += 1 }
                guard index < body.count, body[index] == UInt8(ascii: ":") else {
                    end -= 1
                    continue
                }
                index += 1
                while index < body.count, [0x20, 0x09, 0x0A, 0x0D].contains(body[index]) { index += 1 }
                guard index < body.count, body[index] == UInt8(ascii: "{") else { return nil }
                return objectSlice(body, from: index)
            }
            end -= 1
        }
        return nil
    }

    /// The object starting at `start` (a `{`), through its matching `}`.
    private static func objectSlice(_ body: [UInt8], from start: Int) -> ArraySlice<UInt8>? {
        var depth = 0
        var index = start
        var inString = false
        while index < body.count {
            let byte = body[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") {
                depth += 1
            } else if byte == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return body[start...index] }
            }
            index += 1
        }
        return nil
    }
}
