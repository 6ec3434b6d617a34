/// OpenAI-compatible hosts with no quirks: one data row each (STYLE §3), served by `OpenAIAdapter`.
public struct OpenAICompatibleHost: Sendable {
    public let kind: ProviderKind
    /// Where a provider key for this host is sent when used directly.
    public let baseURL: String
    /// A few of the host's models, so a provider key for it can be routed by model name.
    public let models: [String]

    public static let all: [OpenAICompatibleHost] = [
        OpenAICompatibleHost(kind: "cerebras", baseURL: "https://api.cerebras.ai/v1", models: ["llama3.1-8b", "llama-3.3-70b"]),
        OpenAICompatibleHost(kind: "deepseek", baseURL: "https://api.deepseek.com/v1", models: ["deepseek-chat", "deepseek-reasoner"]),
        OpenAICompatibleHost(kind: "fireworks", baseURL: "https://api.fireworks.ai/inference/v1",
                             models: ["accounts/fireworks/models/llama-v3p1-70b-instruct"]),
        OpenAICompatibleHost(kind: "groq", baseURL: "https://api.groq.com/openai/v1", models: ["llama-3.3-70b-versatile", "llama-3.1-8b-instant"]),
        OpenAICompatibleHost(kind: "mistral", baseURL: "https://api.mistral.ai/v1",
                             models: ["mistral-large-latest", "mistral-small-latest", "codestral-latest", "mistral-embed"]),
        OpenAICompatibleHost(kind: "ollama", baseURL: "http://127.0.0.1:11434/v1", models: []),
        OpenAICompatibleHost(kind: "openai-compatible", baseURL: "http://127.0.0.1:8000/v1", models: []),
        OpenAICompatibleHost(kind: "openrouter", baseURL: "https://openrouter.ai/api/v1", models: []),
        OpenAICompatibleHost(kind: "perplexity", baseURL: "https://api.perplexity.ai", models: ["sonar", "sonar-pro", "sonar-reasoning"]),
        OpenAICompatibleHost(kind: "together", baseURL: "https://api.together.xyz/v1",
                             models: ["meta-llama/Llama-3.3-70B-Instruct-Turbo", "deepseek-ai/DeepSeek-V3"]),
        OpenAICompatibleHost(kind: "xai", baseURL: "https://api.x.ai/v1", models: ["grok-2-latest", "grok-3", "grok-3-mini"]),
    ]
}
