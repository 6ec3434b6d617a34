import AIProxy
import FuzzHarness
import ProviderHarness

// Gemini's response, error, stream and request translators, and embeddings (options bit 3);
// see `ProviderHarness` for the options byte. Gemini's error translator passes a body that
// isn't Gemini's error shape through unchanged, so its output is not checked for JSON.
let harness = ProviderHarness(
    adapter: GoogleAdapter(), alternate: (GoogleAdapter(), .embeddings), builtPaths: [.response, .stream, .request])
FuzzDriver.run { harness.run(FuzzInput($0)) }
