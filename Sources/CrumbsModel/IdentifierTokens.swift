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

    /// Whether `value` can be an identifier in an event at `time`: long and random enough, and not
    /// a timestamp. The current Unix time recurs in the cookies of unrelated trackers (Facebook's
    /// `fr`, Google's `_ga`) and would tie them together; in milliseconds it even passes the
    /// entropy floor. Englehardt et al. and Acar et al. leave such parts out too.
    public static func mayBeIdentifier(_ value: Substring, at time: Date) -> Bool {
        mayBeIdentifier(length: value.utf8.count, entropyBits: entropyBits(of: value))
            && !looksLikeTimestamp(value, near: time)
    }

    /// How far from the event a number may lie and still be read as a timestamp, in years.
    public static let timestampYears = 5.0

    /// Whether `value` is all digits and, read as seconds (10 digits), milliseconds (13) or
    /// microseconds (16) since 1970, falls within `timestampYears` of `time`.
    public static func looksLikeTimestamp(_ value: Substring, near time: Date) -> Bool {
        let digits = value.utf8
        let scale: Double
        switch digits.count {
        case 10: scale = 1
        case 13: scale = 1e3
        case 16: scale = 1e6
        default: return false
        }
        guard digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }), let number = Double(value) else { return false }
        return abs(number / scale - time.timeIntervalSince1970) <= timestampYears * 365.25 * 86400
    }

    /// Lengths of the prefixes of long identifiers that are hashed too: a sync may pass on only
    /// the start of an identifier (seen: the first 16 characters of Google's `IDE` in `code=`).
    public static let prefixLengths = [16, 32]

    /// The prefixes of `value` that are hashed beside it: of each length in `prefixLengths`, for
    /// values at least 8 characters longer than the prefix (shorter cuts are the value itself, or
    /// nearly). Callers keep only those that may be identifiers.
    public static func prefixes(of value: Substring) -> [Substring] {
        let length = value.count
        return prefixLengths.filter { length >= $0 + minimumLength }.map { value.prefix($0) }
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
