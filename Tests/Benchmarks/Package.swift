// swift-tools-version: 6.1
// Throughput benchmarks for HeadroomKit, kept in their own package so that building the root
// package never compiles the benchmark stack. Run them through scripts/benchmark.sh (which
// also generates the large input logs), or directly:
//
//     HEADROOM_BENCH_LOG=/path/to/big.log swift package --package-path Tests/Benchmarks benchmark
import PackageDescription

let package = Package(
    name: "HeadroomBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Headroom", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "GCLogThroughput",
            dependencies: [
                .product(name: "HeadroomKit", package: "Headroom"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/GCLogThroughput",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "AggregateThroughput",
            dependencies: [
                .product(name: "HeadroomKit", package: "Headroom"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/AggregateThroughput",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
