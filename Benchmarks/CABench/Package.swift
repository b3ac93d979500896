// swift-tools-version:6.1
import PackageDescription

// Times leaf minting in CrumbsCA (LeafCertificateIssuer) for scripts/bench-intercept.
// Its own package so the main build never compiles it; build with
// `swift build -c release --scratch-path .build` from this folder.
let package = Package(
    name: "CABench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "crumbs", path: "../.."),
        // The version the root package resolves: the proxy builds a server context per leaf with it.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .executableTarget(
            name: "CABench",
            dependencies: [
                .product(name: "CrumbsCA", package: "crumbs"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
