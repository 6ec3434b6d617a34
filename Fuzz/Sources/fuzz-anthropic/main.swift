import AIProxy
import FuzzHarness
import ProviderHarness

// Anthropic's response, error, stream and request translators, and the native
// `/v1/anthropic/messages` relay (options bit 3); see `ProviderHarness` for the options byte.
let harness = ProviderHarness(
    adapter: AnthropicAdapter(), alternate: (AnthropicAdapter(), .anthropicMessages),
    builtPaths: [.response, .error, .stream, .request])
FuzzDriver.run { harness.run(FuzzInput($0)) }
