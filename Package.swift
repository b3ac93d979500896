// swift-tools-version:6.1
// Crumbs: a local tracker and cookie inspection proxy. GPL-3.0-or-later (see LICENSE).
import PackageDescription

let package = Package(
    name: "crumbs",
    // Linux (Debian 12) is the platform built and tested; no other is claimed. (On macOS the
    // recorder's `Atomic` would need macOS 15, and its thread priorities are Linux calls.)
    products: [
        .executable(name: "crumbs", targets: ["crumbs"]),
        // For Fuzz/, whose libFuzzer targets run the cookie and URL-token parsers.
        .library(name: "CrumbsModel", targets: ["CrumbsModel"]),
        // For Benchmarks/ListsBench, which measures the list engine beside adblock-rust.
        .library(name: "CrumbsLists", targets: ["CrumbsLists"]),
        // For Fuzz/FuzzCapture, which runs capture files and packets through the capture engine.
        .library(name: "CrumbsImport", targets: ["CrumbsImport"]),
        .library(name: "CrumbsIngest", targets: ["CrumbsIngest"]),
        // For Benchmarks/CABench, which times leaf minting for scripts/bench-intercept.
        .library(name: "CrumbsCA", targets: ["CrumbsCA"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Pure value types shared by every part: events, cookies, sites.
        .target(name: "CrumbsModel"),
        // Pure list logic: Public Suffix List, filter lists, entity and category maps, classifier.
        .target(name: "CrumbsLists", dependencies: ["CrumbsModel"]),
        // One ingest pipeline for every source: EventBuilder (the one place where privacy reduction
        // happens) and the recorder's stage (order by start time, classify, reduce).
        .target(
            name: "CrumbsIngest",
            dependencies: [
                "CrumbsModel", "CrumbsLists", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // zlib (Debian's zlib1g-dev), for compressed recordings.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libpcap (Debian's libpcap-dev), for live capture.
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        // Live capture through libpcap: interfaces, packets, kernel statistics. What the packets
        // mean is the capture engine's business (CrumbsImport, shared with capture files).
        .target(name: "CrumbsCapture", dependencies: ["CPcap", "CrumbsImport"]),
        // Readers of recordings made elsewhere (HAR files) → EventBuilder: pure, streaming.
        .target(
            name: "CrumbsImport",
            dependencies: [
                "CrumbsModel", "CrumbsIngest", "CZlib", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // What runs beside the proxy, wired by the CLI: the store writer (ingest stage → store),
        // the digest query and the daily digest scheduler, sharing the writer's store.
        .target(
            name: "CrumbsService",
            dependencies: [
                "CrumbsModel", "CrumbsIngest", "CrumbsStore", "CrumbsReports",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The event store (GRDB) and the recorder that batches events into it.
        .target(
            name: "CrumbsStore",
            dependencies: [
                "CrumbsModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Pure reports: cookie inspector, daily digest, the site ↔ third-party graph and its exporters.
        // English and French: one string catalog per language, locale formatting, the choice of
        // language from the environment or a browser's Accept-Language.
        .target(name: "CrumbsLocalization", dependencies: ["CrumbsModel"]),
        .target(
            name: "CrumbsReports",
            dependencies: [
                "CrumbsModel", "CrumbsLocalization", .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The graph page's script and style (the script is linted in CI), the digest's HTML
            // templates (its section template is the dashboard's too).
            resources: [
                .embedInCode("Resources/graph.js"), .embedInCode("Resources/graph.css"),
                .embedInCode("Resources/section.mustache"), .embedInCode("Resources/digest.mustache"),
            ]),
        // The local certificate authority and per-host leaf certificates for interception.
        .target(
            name: "CrumbsCA",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The NIO forwarding proxy: emits RequestEvents through an EventSink.
        .target(
            name: "CrumbsProxy",
            dependencies: [
                "CrumbsModel", "CrumbsCA", "CrumbsIngest", "CrumbsLocalization",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The local dashboard: Hummingbird routes and Mustache templates over what the CLI hands it
        // (the store's reads, the digest so far); English and French from the reports' catalog.
        .target(
            name: "CrumbsDashboard",
            dependencies: [
                "CrumbsModel", "CrumbsReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Resources/layout.mustache"),
                .embedInCode("Resources/trust.mustache"), .embedInCode("Resources/today.mustache"),
                .embedInCode("Resources/digests.mustache"), .embedInCode("Resources/devices.mustache"),
                .embedInCode("Resources/live.mustache"), .embedInCode("Resources/graph.mustache"),
                .embedInCode("Resources/privacy.mustache"), .embedInCode("Resources/lists.mustache"),
                .embedInCode("Resources/certificate.mustache"), .embedInCode("Resources/dashboard.css"),
                .embedInCode("Resources/trust-check.js"), .embedInCode("Resources/live.js"),
                .embedInCode("Resources/today.js"), .embedInCode("Resources/today-digest.mustache"),
            ]
        ),
        // The CLI: the only place where the pieces are wired together.
        .executableTarget(
            name: "crumbs",
            dependencies: [
                "CrumbsModel", "CrumbsLists", "CrumbsIngest", "CrumbsImport", "CrumbsCapture", "CrumbsStore",
                "CrumbsProxy",
                "CrumbsCA", "CrumbsReports", "CrumbsService", "CrumbsDashboard",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Shared by the test targets that start the binary: they run it as an ordinary user.
        .target(name: "CrumbsTestSupport", path: "Tests/CrumbsTestSupport"),
        .testTarget(name: "CrumbsModelTests", dependencies: ["CrumbsModel"]),
        .testTarget(name: "CrumbsReportsTests", dependencies: ["CrumbsReports", "CrumbsModel"]),
        .testTarget(
            name: "CrumbsCLITests",
            dependencies: ["crumbs", "CrumbsProxy", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "CrumbsListsTests",
            dependencies: ["CrumbsLists"]
        ),
        .testTarget(
            name: "CrumbsCATests",
            dependencies: [
                "CrumbsCA", .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(
            name: "CrumbsStoreTests",
            dependencies: ["CrumbsStore", "CrumbsModel", .product(name: "GRDB", package: "GRDB.swift")]),
        // The ingest pipeline: builder, stage, and `crumbs classify` agreeing with the recorder.
        .testTarget(
            name: "CrumbsIngestTests",
            dependencies: ["crumbs", "CrumbsIngest", "CrumbsLists", "CrumbsModel"]),
        // HAR import: exporters' quirks, bad input, the CLI, and Chromium's own recording.
        .testTarget(
            name: "CrumbsImportTests",
            dependencies: [
                "crumbs", "CrumbsImport", "CrumbsIngest", "CrumbsLists", "CrumbsModel", "CrumbsStore",
                "CrumbsTestSupport",
            ]),
        // The daily digest end to end: a fixture store, SQL aggregates, every format, the scheduler.
        .testTarget(
            name: "CrumbsDigestTests",
            dependencies: [
                "crumbs", "CrumbsStore", "CrumbsReports", "CrumbsModel", "CrumbsLists", "CrumbsService",
                "CrumbsIngest", "CrumbsTestSupport", "CrumbsDashboard", "CrumbsLocalization",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // The graph export end to end: SQL aggregates on a temp store, SVG/HTML, Chromium, the CLI.
        .testTarget(
            name: "CrumbsGraphTests",
            dependencies: ["CrumbsStore", "CrumbsReports", "CrumbsModel", "CrumbsTestSupport"]),
        .testTarget(
            name: "CrumbsProxyTests",
            dependencies: [
                "CrumbsProxy", "CrumbsStore", "CrumbsModel", "CrumbsCA", "CrumbsReports", "CrumbsLists",
                "CrumbsIngest", "CrumbsTestSupport",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
