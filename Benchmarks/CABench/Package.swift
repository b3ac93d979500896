// swift-tools-version:6.1
import PackageDescription

// Times leaf minting in CrumbsCA (LeafCertificateIssuer) for scripts/bench-intercept.
// Its own package so the main build never compiles it; build with
// `swift build -c release --scratch-path .build` from this folder.
let package = Package(
    name: "CABench",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "crumbs", path: "../..")],
    targets: [
        .executableTarget(
            name: "CABench",
            dependencies: [.product(name: "CrumbsCA", package: "crumbs")]
        )
    ],
    swiftLanguageModes: [.v6]
)
