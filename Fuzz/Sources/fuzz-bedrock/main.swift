import AIProxy
import FuzzHarness
import ProviderHarness

// Bedrock's Converse response, error, stream and request (SigV4-signed) translators; see
// `ProviderHarness` for the options byte. Stream inputs are the events as SSE text
// (`event: contentBlockDelta` / `data: {…}`): the binary framing in front of the translator
// is `fuzz-eventstream`'s.
let harness = ProviderHarness(adapter: BedrockAdapter(), builtPaths: [.response, .error, .stream, .request])
FuzzDriver.run { harness.run(FuzzInput($0)) }
