import AIProxy
import FuzzHarness
import ProviderHarness

// OpenAI's adapter (and Azure's, options bit 3): bodies and streams pass through untouched and
// requests are rebuilt for the endpoint; see `ProviderHarness` for the options byte.
let harness = ProviderHarness(adapter: OpenAIAdapter(), alternate: (AzureAdapter(), .chatCompletions), builtPaths: [])
FuzzDriver.run { harness.run(FuzzInput($0)) }
