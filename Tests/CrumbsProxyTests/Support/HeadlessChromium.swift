import Foundation

/// Debian's Chromium, headless, loading one page through a proxy and returning the DOM it ended
/// with (`--dump-dom`), bounded in time.
enum HeadlessChromium {
    static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// `environment`: nil inherits ours (a test's own HOME keeps its NSS database apart).
    static func dumpDOM(
        _ url: String, proxyPort: Int, profile: URL, environment: [String: String]? = nil
    ) async throws -> String {
        let browser = try process(
            proxyPort: proxyPort, profile: profile, environment: environment,
            then: ["--virtual-time-budget=5000", "--dump-dom", url])
        let output = Pipe()
        browser.standardOutput = output
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        let deadline = Date().addingTimeInterval(90)
        while browser.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if browser.isRunning { browser.terminate() }
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Opens `url` and lets the pages drive themselves (each clicks to the next) until `done`
    /// says so or `timeout` passes, then stops the browser. Real time, not virtual time: the
    /// gaps between page loads are what the proxy sees.
    static func browse(
        _ url: String, proxyPort: Int, profile: URL, environment: [String: String]? = nil,
        timeout: Duration, until done: @Sendable () -> Bool
    ) async throws {
        let browser = try process(
            proxyPort: proxyPort, profile: profile, environment: environment, then: ["--remote-debugging-port=0", url])
        browser.standardOutput = FileHandle.nullDevice
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        let deadline = ContinuousClock.now + timeout
        while browser.isRunning && !done() && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        // A moment for the last page's requests, then stop: SIGTERM, SIGKILL if it lingers.
        try await Task.sleep(for: .milliseconds(500))
        browser.terminate()
        let stop = ContinuousClock.now + .seconds(5)
        while browser.isRunning && ContinuousClock.now < stop { try await Task.sleep(for: .milliseconds(50)) }
        if browser.isRunning { kill(browser.processIdentifier, SIGKILL) }
    }

    /// Headless Chromium through the proxy with its own profile, quiet in the background,
    /// followed by `arguments`; not started yet.
    private static func process(
        proxyPort: Int, profile: URL, environment: [String: String]?, then arguments: [String]
    ) throws -> Process {
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: try requirePath())
        browser.arguments =
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
                "--user-data-dir=\(profile.path)", "--proxy-server=http://127.0.0.1:\(proxyPort)",
            ] + arguments
        if let environment { browser.environment = environment }
        return browser
    }

    private static func requirePath() throws -> String {
        guard let path else { throw RawClientError("chromium is not installed (scripts/test installs it)") }
        return path
    }
}
