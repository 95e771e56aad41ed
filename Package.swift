// swift-tools-version: 6.1
import PackageDescription

// The targets are the architecture: each layer depends only on the ones below it, so a back edge
// does not compile. Pure layers first (evidence in, strings out), the effects at the edge.
let package = Package(
    name: "Headroom",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "HeadroomKit", targets: ["HeadroomKit"]),
        .executable(name: "headroom", targets: ["headroom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["libz-dev"])]
        ),
        // The evidence model: units, time, number formatting, the records every reader produces.
        .target(name: "HeadroomCore"),
        // Parsers and input readers: bytes in, evidence out. Reads files; writes none, runs nothing.
        .target(name: "HeadroomIngest", dependencies: ["HeadroomCore", "CZlib"]),
        // Facts: every reader's evidence as one set of sourced figures.
        .target(name: "HeadroomAnalysis", dependencies: ["HeadroomIngest"]),
        // One small type per rule: facts in, findings out.
        .target(name: "HeadroomRules", dependencies: ["HeadroomAnalysis"]),
        // The plan: rules run in stages and merged; reviews, aggregates, verification plans.
        .target(name: "HeadroomPlan", dependencies: ["HeadroomRules"]),
        // One renderer per output format: strings out, no I/O.
        .target(name: "HeadroomRender", dependencies: ["HeadroomPlan"]),
        // The edge that writes: bundles, atomic files, sample logs.
        .target(name: "HeadroomStore", dependencies: ["HeadroomRender"]),
        // The edge that runs things: Bazel, the sampler, memory cgroups, verification.
        .target(name: "HeadroomMeasure", dependencies: ["HeadroomStore"]),
        // The umbrella: re-exports every layer for the command line and the tests.
        .target(name: "HeadroomKit", dependencies: ["HeadroomMeasure"]),
        .executableTarget(
            name: "headroom",
            dependencies: [
                "HeadroomKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "HeadroomKitTests",
            dependencies: ["HeadroomKit"],
            // Fixtures are read in place (by #filePath), not bundled.
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
