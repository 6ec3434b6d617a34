/// Money as the proxy keeps it: whole micro-dollars (USD × 10⁶), so sums are exact; shown and
/// entered as USD.
public enum MicroUSD {
    /// USD as a JSON number, exact to the micro-dollar (`1.5`, `0.000123`).
    /// (Digits computed, not trimmed from strings: every call's log line has two of these.)
    public static func json(_ micro: Int64) -> JSONValue {
        let magnitude = micro.magnitude
        var fraction = magnitude % 1_000_000
        var digits = 6
        while digits > 1 && fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        var text = micro < 0 ? "-" : ""
        text += String(magnitude / 1_000_000)
        text += "."
        text += String(unsafeUninitializedCapacity: digits) { out in
            for index in stride(from: digits - 1, through: 0, by: -1) {
                out[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
            }
            return digits
        }
        return .number(text)
    }

    /// Micro-dollars from a USD amount (a JSON number ≥ 0), rounded to the nearest; `nil` when
    /// it isn't one.
    public static func parse(_ usd: JSONValue) -> Int64? {
        guard let value = usd.doubleValue, value >= 0, value < 9e12 else { return nil }
        return Int64((value * 1_000_000).rounded())
    }
}
