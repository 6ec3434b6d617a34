/// A provider API type an endpoint speaks (`openai`, `azure`, `anthropic`, …).
///
/// A string-backed struct rather than an enum, so a provider is added by adding its folder and
/// registry line, with no central `switch` to edit (STYLE §3).
public struct ProviderKind: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.lowercased() }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public static func < (a: ProviderKind, b: ProviderKind) -> Bool { a.rawValue < b.rawValue }

    public static let openai: ProviderKind = "openai"
}
