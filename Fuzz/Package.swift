// swift-tools-version:6.1
// libFuzzer targets for the parsers that read untrusted bytes. Built and run by scripts/fuzz
// (`swift build --sanitize fuzzer --sanitize address`); seed corpora live in Tests/Fuzz/Corpus.
import PackageDescription

// libFuzzer supplies `main`; each target defines LLVMFuzzerTestOneInput and no entry point.
let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "crumbs-fuzz",
    dependencies: [.package(name: "crumbs", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzCookies", dependencies: [.product(name: "CrumbsModel", package: "crumbs")],
            swiftSettings: fuzzFlags),
        .executableTarget(
            name: "FuzzURLTokens", dependencies: [.product(name: "CrumbsModel", package: "crumbs")],
            swiftSettings: fuzzFlags),
        // The proxy's request-target parser is pure; its source is linked in from CrumbsProxy
        // (a symbolic link), so the fuzzer runs the very code the proxy runs, without NIO. Its
        // host and URL helpers (HostAndPort, URLHost, ASCII case) live in CrumbsModel.
        .executableTarget(
            name: "FuzzRequestTarget", dependencies: [.product(name: "CrumbsModel", package: "crumbs")],
            swiftSettings: fuzzFlags),
        .executableTarget(
            name: "FuzzFilterList", dependencies: [.product(name: "CrumbsLists", package: "crumbs")],
            swiftSettings: fuzzFlags),
        // Capture files and packet runs through the whole capture engine.
        .executableTarget(
            name: "FuzzCapture",
            dependencies: [
                .product(name: "CrumbsImport", package: "crumbs"), .product(name: "CrumbsIngest", package: "crumbs"),
                .product(name: "CrumbsLists", package: "crumbs"), .product(name: "CrumbsModel", package: "crumbs"),
            ],
            swiftSettings: fuzzFlags),
        .executableTarget(
            name: "FuzzEntityLists", dependencies: [.product(name: "CrumbsLists", package: "crumbs")],
            swiftSettings: fuzzFlags),
    ]
)
