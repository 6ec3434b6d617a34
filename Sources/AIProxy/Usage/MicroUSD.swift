/// Money as the proxy keeps it: whole micro-dollars (USD × 10⁶), so sums are exact; shown and
/// entered as USD.
public enum MicroUSD {
    /// USD as a JSON number, exact to the micro-dollar (`1.5`, `0.000123`).
    public static func json(_ micro: Int64) -> JSONValue {
        .decimal(micro, scale: scale, minimumFractionDigits: minimumFractionDigits)
    }

    /// How ``json(_:)`` writes an amount: micro-dollars as USD with six decimals, at least one shown.
    static let scale = 6
    static let minimumFractionDigits = 1

    /// Micro-dollars from a USD amount (a JSON number ≥ 0), rounded to the nearest; `nil` when
    /// it isn't one.
    public static func parse(_ usd: JSONValue) -> Int64? {
        guard let value = usd.doubleValue, value >= 0, value < 9e12 else { return nil }
        return Int64((value * 1_000_000).rounded())
    }
}
