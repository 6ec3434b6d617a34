public import EdgeRuntime

/// How often a key's budget starts over: `Ns`, `Nm`, `Nh`, `Nd` (fixed windows aligned to UTC,
/// counted from 1970 — `1d` starts at 00:00 UTC) or `1mo` (the calendar month, UTC). LiteLLM's
/// `budget_duration` spelling.
public struct BudgetDuration: Sendable, Equatable {
    /// As written (`30d`, `1mo`).
    public let text: String
    /// The window's length; `nil` for the calendar month.
    public let window: Duration?

    public init?(_ text: String) {
        if text == "1mo" {
            self.text = text
            window = nil
            return
        }
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0, count < 100_000 else { return nil }
        let seconds: Int
        switch unit {
        case "s": seconds = count
        case "m": seconds = count * 60
        case "h": seconds = count * 3600
        case "d": seconds = count * 86_400
        default: return nil
        }
        self.text = text
        window = .seconds(seconds)
    }

    /// The window a budget without a duration counts in: one that never ends (1970 to 2109).
    static let lifetime = Duration.milliseconds(Int64(1) << 42)
}
