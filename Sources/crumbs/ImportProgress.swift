import Foundation

/// A one-line progress report on the terminal (standard error), rewritten in place.
final class ImportProgress {
    private let name: String
    private var shown = false

    init(name: String) {
        self.name = name
    }

    func update(bytes: Int) {
        shown = true
        let megabytes = Double(bytes) / 1_048_576
        FileHandle.standardError.write(Data("\r\(name): \(String(format: "%.0f", megabytes)) MiB read".utf8))
    }

    /// Erases the line before the summary is printed.
    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
