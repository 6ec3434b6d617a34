import Glibc

/// Searching bytes on the request path without `String` (the standard library's
/// `String.contains(_:)` goes through its generic string processing: ~25,000 instructions to
/// find "json" in a content type).
enum ByteSearch {
    /// Whether `needle` occurs in `haystack`, by libc's `memchr` for its first byte and `memcmp`
    /// for the rest: every batch of a stream is searched, and a generic slice comparison at each
    /// `"` of the JSON cost 6% of a passed-through stream's CPU.
    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let start = hay.baseAddress, let pattern = pin.baseAddress else { return false }
                let end = start + hay.count
                var cursor = start
                while end - cursor >= pin.count {
                    guard let hit = memchr(cursor, Int32(first), end - cursor - pin.count + 1) else { return false }
                    if memcmp(hit, pattern, pin.count) == 0 { return true }
                    cursor = UnsafeRawPointer(hit) + 1
                }
                return false
            }
        }
    }

    /// Whether `text` contains `needle`, byte for byte (a URL's path, a model id).
    static func contains(_ text: String, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { contains(Array(text.utf8)[...], Array($0)) }
    }

    /// Whether `text` contains `needle` (lowercase ASCII), ignoring ASCII case.
    static func containsIgnoringCase(_ text: String, _ needle: StaticString) -> Bool {
        let lowered = text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        return needle.withUTF8Buffer { contains(lowered[...], Array($0)) }
    }
}
