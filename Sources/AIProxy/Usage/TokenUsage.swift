/// Tokens one call used, as every provider's reply reports them once translated to OpenAI's
/// `usage` object.
public struct TokenUsage: Sendable, Equatable {
    /// Prompt tokens, cached ones included (OpenAI's `prompt_tokens`).
    public var input: Int
    public var output: Int
    /// Prompt tokens read from the provider's prompt cache (`prompt_tokens_details.cached_tokens`).
    public var cachedInput: Int
    /// Prompt tokens written to the provider's prompt cache (Anthropic's and Bedrock's
    /// `cache_creation_input_tokens`, which the translators keep in the usage object).
    public var cacheWrite: Int

    public init(input: Int, output: Int, cachedInput: Int = 0, cacheWrite: Int = 0) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
        self.cacheWrite = cacheWrite
    }

    /// Reads OpenAI's `usage` object (chat, completions, embeddings and responses); `nil` without one.
    public init?(openAIUsage usage: JSONValue?) {
        guard let usage, case .object = usage,
            let input = usage["prompt_tokens"]?.intValue ?? usage["input_tokens"]?.intValue
        else {
            return nil
        }
        self.init(
            input: input, output: usage["completion_tokens"]?.intValue ?? usage["output_tokens"]?.intValue ?? 0,
            cachedInput: (usage["prompt_tokens_details"] ?? usage["input_tokens_details"])?["cached_tokens"]?.intValue
                ?? 0,
            cacheWrite: usage["cache_creation_input_tokens"]?.intValue ?? usage["input_tokens_details"]?[
                "cache_write_tokens"]?.intValue
                ?? 0)
    }

    /// Tokens that count against a tokens-per-minute limit: cache reads and writes are kept out.
    public var rateCounted: Int { max(0, input - cachedInput - cacheWrite) + output }

    /// What the call cost at the catalog's list prices, in micro-USD (USD × 10⁶: a price per
    /// million tokens is micro-USD per token). Cache reads at the cached price (the input price
    /// when none is published), cache writes at the input price. `nil` without prices.
    public func cost(_ model: ModelCatalog.Model?) -> Int64? {
        guard let model, let inputPrice = model.inputCostPerMTok, let outputPrice = model.outputCostPerMTok else {
            return nil
        }
        let uncached = Double(max(0, input - cachedInput - cacheWrite))
        let cached = Double(cachedInput) * (model.cachedInputCostPerMTok ?? inputPrice)
        let total = (uncached + Double(cacheWrite)) * inputPrice + cached + Double(output) * outputPrice
        return Int64(total.rounded())
    }

    /// The usage as OpenAI's object (for tests and the usage event).
    public var json: JSONValue {
        [
            "input_tokens": .number(input), "output_tokens": .number(output), "cached_tokens": .number(cachedInput),
            "cache_write_tokens": .number(cacheWrite),
        ]
    }
}
