// swift-tools-version: 6.1
import PackageDescription

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
        .target(
            name: "HeadroomKit",
            dependencies: ["CZlib"]
        ),
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
