// swift-tools-version:6.1
import PackageDescription

// Benchmarks the CrumbsLists filter engine on a request file written by scripts/bench-lists.
// Its own package so the main build never compiles it; build with
// `swift build -c release --scratch-path .build` from this folder.
let package = Package(
    name: "ListsBench",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "crumbs", path: "../..")],
    targets: [
        .executableTarget(
            name: "ListsBench",
            dependencies: [.product(name: "CrumbsLists", package: "crumbs")]
        )
    ],
    swiftLanguageModes: [.v6]
)
