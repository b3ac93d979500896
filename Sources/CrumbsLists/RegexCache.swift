import Foundation

/// Compiles `/regex/` rules the first time a request reaches them and keeps the result, so
/// loading a list compiles nothing and rules no request ever reaches cost nothing.
///
/// Shared by every copy of an engine; a lock makes it safe from any thread. A source that
/// does not compile (JavaScript syntax ICU rejects) is remembered as never matching.
final class RegexCache: @unchecked Sendable {
    private enum Entry {
        case compiled(NSRegularExpression)
        case invalid
    }

    private let lock = NSLock()
    // Guarded by `lock`.
    private var entries: [Int32: Entry] = [:]

    /// Whether the regex of rule `rule` (source `source`) matches `url`.
    func matches(rule: Int32, source: UnsafeBufferPointer<UInt8>, matchCase: Bool, url: String) -> Bool {
        lock.lock()
        let entry: Entry
        if let known = entries[rule] {
            entry = known
        } else {
            let pattern = String(decoding: source, as: UTF8.self)
            let options: NSRegularExpression.Options = matchCase ? [] : [.caseInsensitive]
            if let regex = try? NSRegularExpression(pattern: pattern, options: options) {
                entry = .compiled(regex)
            } else {
                entry = .invalid
            }
            entries[rule] = entry
        }
        lock.unlock()
        guard case .compiled(let regex) = entry else { return false }
        // NSRegularExpression is immutable once made and documented as thread-safe.
        let range = NSRange(location: 0, length: url.utf16.count)
        return regex.firstMatch(in: url, options: [], range: range) != nil
    }

    /// Rules whose regex did not compile, among those tried so far.
    var invalidRules: [Int32] {
        lock.lock()
        defer { lock.unlock() }
        return entries.compactMap { key, value in
            if case .invalid = value { return key }
            return nil
        }.sorted()
    }
}
