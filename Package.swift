// swift-tools-version: 6.0
import PackageDescription

// Same upcoming features as Hummingbird: `InternalImportsByDefault` makes a C type in a
// public signature a compile error, which keeps the C modules behind EdgeRuntime's API.
// `NonisolatedNonsendingByDefault`: a nonisolated async function runs where its caller runs
// (the event loop) instead of switching executors at every call — ~60 `swift_task_switch`es a
// proxied call, each asking the task for its executor preference under a lock (~9k
// instructions a call, BENCHMARKS.md).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "swift-ai-proxy",
    products: [
        .library(name: "EdgeRuntime", targets: ["EdgeRuntime"]),
        .library(name: "AIProxy", targets: ["AIProxy"]),
        .executable(name: "aiproxy", targets: ["aiproxy"]),
    ],
    targets: [
        // Debian's C libraries, as system-library targets (no vendored code, no package dependencies).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CEvent", providers: [.apt(["libevent-dev"])]),
        // hiredis' pkg-config cflags trip SwiftPM (DESIGN §3): linked by name in the modulemap.
        .systemLibrary(name: "CHiredis", providers: [.apt(["libhiredis-dev"])]),
        // glibc functions the Glibc module leaves out (malloc_trim, prctl).
        .systemLibrary(name: "CSystem"),

        .target(
            name: "EdgeRuntime",
            dependencies: ["CCurl", "COpenSSL", "CEvent", "CHiredis", "CSystem"],
            swiftSettings: swiftSettings
        ),
        // The worker: EdgeRuntime's public API and FoundationEssentials only (STYLE §1, `make lint`).
        .target(
            name: "AIProxy",
            dependencies: ["EdgeRuntime"],
            // In the binary: no resource bundle to ship beside it, and no `Bundle` (Foundation).
            resources: [
                .embedInCode("Catalog/models.json"), .embedInCode("Admin/openapi.json"),
                .embedInCode("Admin/admin.html"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "aiproxy",
            dependencies: ["EdgeRuntime", "AIProxy"],
            swiftSettings: swiftSettings,
            // Packed relative relocations (DT_RELR, glibc ≥ 2.36; gold can't write them, lld can):
            // 1.8 MB of `.rela.dyn` the loader reads at every start becomes 33 KB, and idle RSS
            // drops by as much (BENCHMARKS.md).
            linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])]
        ),
        // Fake provider APIs speaking their real wire formats, for tests and benchmarks.
        .target(
            name: "MockUpstream",
            dependencies: ["EdgeRuntime"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mock-upstream",
            dependencies: ["EdgeRuntime", "MockUpstream"],
            swiftSettings: swiftSettings
        ),
        // The proxy embedded in a Swift app as a library (README: "Embedding the proxy in a Swift app").
        .executableTarget(
            name: "embedded-proxy",
            dependencies: ["AIProxy", "EdgeRuntime"],
            path: "Examples/EmbeddedProxy",
            swiftSettings: swiftSettings
        ),
        // In-process calls vs calls over a loopback socket (Benchmarks/embedded.sh).
        .executableTarget(
            name: "bench-embedded",
            dependencies: ["AIProxy", "EdgeRuntime"],
            path: "Benchmarks/EmbeddedBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bench-worker",
            dependencies: ["EdgeRuntime"],
            path: "Benchmarks/BenchWorker",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EdgeRuntimeTests",
            dependencies: ["EdgeRuntime"],
            swiftSettings: swiftSettings
        ),
        // Drives the built `aiproxy` binary as a process (signals, exit codes, real sockets).
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["EdgeRuntime", "MockUpstream"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AIProxyTests",
            dependencies: ["AIProxy", "EdgeRuntime", "MockUpstream"],
            swiftSettings: swiftSettings
        ),
    ]
)
