// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for the proxy's parsers and translators (see README.md here).
// A package of its own, next to the root one: a fuzz executable's `main` starts libFuzzer's
// driver, so these targets link only with `-sanitize=fuzzer` and would break a plain
// `swift build` of the root package. Build with `Fuzz/run.sh` or `make fuzz`.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let proxy = "swift-ai-proxy"
let edgeRuntime = Target.Dependency.product(name: "EdgeRuntime", package: proxy)
let aiProxy = Target.Dependency.product(name: "AIProxy", package: proxy)

/// One libFuzzer executable per target, `Sources/fuzz-<name>/`.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzHarness"] + dependencies, swiftSettings: swiftSettings)
}

let package = Package(
    name: "swift-ai-proxy-fuzz",
    dependencies: [.package(name: proxy, path: "..")],
    targets: [
        .systemLibrary(name: "CLibFuzzer"),
        .target(name: "FuzzHarness", dependencies: ["CLibFuzzer"], swiftSettings: swiftSettings),
        .target(name: "ProviderHarness", dependencies: ["FuzzHarness", aiProxy], swiftSettings: swiftSettings),
        fuzzTarget("http", [edgeRuntime]),
        fuzzTarget("json", [aiProxy]),
        fuzzTarget("toml", [edgeRuntime]),
        fuzzTarget("devvars", [edgeRuntime]),
        fuzzTarget("sse", [aiProxy]),
        fuzzTarget("eventstream", [aiProxy, edgeRuntime]),
        fuzzTarget("anthropic", ["ProviderHarness", aiProxy]),
        fuzzTarget("bedrock", ["ProviderHarness", aiProxy]),
        fuzzTarget("google", ["ProviderHarness", aiProxy]),
        fuzzTarget("openai", ["ProviderHarness", aiProxy]),
    ]
)
