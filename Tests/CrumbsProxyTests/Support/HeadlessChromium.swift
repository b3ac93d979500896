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
        let chromium = try requirePath()
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: chromium)
        browser.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
            "--user-data-dir=\(profile.path)",
            "--proxy-server=http://127.0.0.1:\(proxyPort)",
            "--virtual-time-budget=5000", "--dump-dom", url,
        ]
        if let environment { browser.environment = environment }
        let output = Pipe()
        browser.standardOutput = output
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        let deadline = Date().addingTimeInterval(90)
        while browser.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if browser.isRunning { browser.terminate() }
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    private static func requirePath() throws -> String {
        guard let path else { throw RawClientError("chromium is not installed (scripts/test installs it)") }
        return path
    }
}
