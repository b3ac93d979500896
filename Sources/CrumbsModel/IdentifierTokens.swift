import Foundation

/// Identifier candidates inside a cookie or URL-parameter value, and an estimate of how random a
/// value is. The cookie heuristics compare keyed hashes of these tokens, never the values.
///
/// Why tokens and not only whole values: trackers rarely copy a cookie verbatim. Google
/// Analytics' `_ga=GA1.2.1234567890.1700000000` travels as `cid=1234567890.1700000000`.
/// Englehardt et al. ("Online Tracking: A 1-million-site Measurement and Analysis", CCS 2016,
/// §6.1) split cookie values on common delimiters and look for the parts in URLs; Crumbs does the
/// same on both sides (cookie values and parameter values) and keeps parts of at least
/// `minimumLength` characters, because shorter parts (versions, flags, small counters) collide.
public enum IdentifierTokens {
    /// Shortest value or part treated as a possible identifier (Englehardt et al. use 8).
    public static let minimumLength = 8
    /// Longest value treated as an identifier: longer values are serialised state, not IDs.
    public static let maximumLength = 100
    /// Least `entropyBits` of a value that can be an identifier (calibration in
    /// `CookieInspector.minimumEntropyBits`).
    public static let minimumEntropyBits = 40.0
    /// Characters that separate the parts of a compound value.
    static let delimiters: Set<Character> = [".", ":", "|", "&", "=", ",", ";", "/", "+", " ", "~", "*"]

    /// Distinct parts of `value` of identifier length, excluding `value` itself (callers hash the
    /// whole value separately). Also the suffixes that start after each `.`, which is how `_ga`'s
    /// client id is split between cookie and beacon.
    public static func parts(of value: Substring) -> [Substring] {
        guard value.count <= maximumLength else { return [] }
        let pieces = value.split(whereSeparator: { delimiters.contains($0) })
        guard pieces.count > 1 else { return [] }
        var result: [Substring] = []
        func add(_ part: Substring) {
            if part.count >= minimumLength, part != value, !result.contains(part) { result.append(part) }
        }
        pieces.forEach(add)
        // Dot suffixes: "GA1.2.123.456" gives "2.123.456" and "123.456" (and "456").
        var index = value.startIndex
        while let dot = value[index...].firstIndex(of: ".") {
            index = value.index(after: dot)
            if index < value.endIndex { add(value[index...]) }
        }
        return result
    }

    /// Whether a value of this length and estimated randomness can be an identifier (Englehardt et
    /// al.'s 8 to 100 characters, and at least `minimumEntropyBits`).
    public static func mayBeIdentifier(length: Int, entropyBits: Double) -> Bool {
        (minimumLength...maximumLength).contains(length) && entropyBits >= minimumEntropyBits
    }

    public static func mayBeIdentifier(_ value: Substring) -> Bool {
        mayBeIdentifier(length: value.utf8.count, entropyBits: entropyBits(of: value))
    }

    /// Shannon entropy of the value's bytes times its length, in bits: a cheap stand-in for
    /// "looks random". A UUID scores ~130 bits, `1700000000` ~19, `aaaaaaaaaa` 0.
    public static func entropyBits(of value: Substring) -> Double {
        guard !value.isEmpty else { return 0 }
        var counts: [UInt8: Int] = [:]
        for byte in value.utf8 { counts[byte, default: 0] += 1 }
        let total = Double(value.utf8.count)
        var perByte = 0.0
        for count in counts.values {
            let p = Double(count) / total
            perByte -= p * log2(p)
        }
        return perByte * total
    }
}
