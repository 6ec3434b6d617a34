/// Every provider adapter, by kind: one line per adapter, alphabetical.
public struct ProviderRegistry: Sendable {
    private let adapters: [ProviderKind: any ProviderAdapter]

    public init(_ adapters: [any ProviderAdapter]) {
        self.adapters = Dictionary(adapters.map { ($0.kind, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The adapter for `kind`, or `nil` when no adapter speaks it.
    public func adapter(for kind: ProviderKind) -> (any ProviderAdapter)? { adapters[kind] }

    /// Kinds with an adapter.
    public var kinds: [ProviderKind] { adapters.keys.sorted() }

    /// The adapters shipped with the proxy.
    public static let standard = ProviderRegistry(
        [
            AnthropicAdapter(),
            AzureAdapter(),
            BedrockAdapter(),
            GoogleAdapter(),
            OpenAIAdapter(),
        ] + OpenAICompatibleHost.all.map { OpenAIAdapter(kind: $0.kind) })
}
