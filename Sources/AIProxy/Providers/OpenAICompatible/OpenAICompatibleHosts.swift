/// OpenAI-compatible hosts with no quirks: one data row each (STYLE §3), served by `OpenAIAdapter`;
/// their models are in the catalog file (`Catalog/models.json`).
public struct OpenAICompatibleHost: Sendable {
    public let kind: ProviderKind
    /// Where a provider key for this host is sent when used directly.
    public let baseURL: String

    public static let all: [OpenAICompatibleHost] = [
        OpenAICompatibleHost(kind: "cerebras", baseURL: "https://api.cerebras.ai/v1"),
        OpenAICompatibleHost(kind: "deepseek", baseURL: "https://api.deepseek.com/v1"),
        OpenAICompatibleHost(kind: "fireworks", baseURL: "https://api.fireworks.ai/inference/v1"),
        OpenAICompatibleHost(kind: "groq", baseURL: "https://api.groq.com/openai/v1"),
        OpenAICompatibleHost(kind: "mistral", baseURL: "https://api.mistral.ai/v1"),
        OpenAICompatibleHost(kind: "ollama", baseURL: "http://127.0.0.1:11434/v1"),
        OpenAICompatibleHost(kind: "openai-compatible", baseURL: "http://127.0.0.1:8000/v1"),
        OpenAICompatibleHost(kind: "openrouter", baseURL: "https://openrouter.ai/api/v1"),
        OpenAICompatibleHost(kind: "perplexity", baseURL: "https://api.perplexity.ai"),
        OpenAICompatibleHost(kind: "together", baseURL: "https://api.together.xyz/v1"),
        OpenAICompatibleHost(kind: "xai", baseURL: "https://api.x.ai/v1"),
    ]
}
