import Foundation

/// Brings a host as written (any case, Unicode or ACE, maybe a trailing dot) to the lower-case
/// ACE bytes the rules are stored in, keeping a display form with the same labels for answers.
enum HostName {
    static let maxLabelLength = 63
    static let maxLength = 253

    /// What a first look at the raw bytes says.
    enum Scan {
        /// Already lower-case ASCII made of label bytes: usable as is, up to `end` (a trailing dot dropped).
        case ready(end: Int)
        /// ASCII with upper-case letters: lower-casing is all it needs.
        case needsLowercasing
        /// Non-ASCII: needs `normalize(_:)`.
        case needsNormalizing
        /// Holds a byte no host name can hold (space, `/`, `:`, `[`…): IPv6 literals end here too.
        case invalid
    }

    /// Letters, digits, hyphen and underscore (seen in real service names such as `_dmarc`).
    @inline(__always)
    static func isLabelByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
    }

    /// The fast path: one pass over the bytes, no allocation.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        var hasUppercase = false
        var hasUnicode = false
        for byte in bytes where !(isLabelByte(byte) || byte == 0x2E) {
            if byte >= 0x80 {
                hasUnicode = true
            } else if byte >= 0x41 && byte <= 0x5A {
                hasUppercase = true
            } else {
                return .invalid
            }
        }
        if hasUnicode { return .needsNormalizing }
        if hasUppercase { return .needsLowercasing }
        let end = bytes.last == 0x2E ? bytes.count - 1 : bytes.count
        return .ready(end: end)
    }

    /// The slow path for upper case and Unicode: UTS 46-style case folding, NFC, IDNA dots, and
    /// Punycode per label. Label checks (empty, length, numeric) are left to the rule walk.
    static func normalize(_ host: String) -> (ace: [UInt8], display: String)? {
        var text = host
        if !text.utf8.allSatisfy({ $0 < 0x80 }) {
            // IDNA treats these full-width and ideographic full stops as label separators.
            text = String(
                text.unicodeScalars.map { scalar -> Character in
                    switch scalar.value {
                    case 0x3002, 0xFF0E, 0xFF61: return "."
                    default: return Character(scalar)
                    }
                })
            text = text.lowercased().precomposedStringWithCanonicalMapping
        } else {
            text = text.lowercased()
        }
        if text.hasSuffix(".") { text.removeLast() }
        var ace: [UInt8] = []
        ace.reserveCapacity(text.utf8.count + 8)
        for (index, label) in text.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { ace.append(0x2E) }
            guard let converted = aceLabel(label) else { return nil }
            ace.append(contentsOf: converted.utf8)
        }
        return (ace, text)
    }

    /// One lower-cased, NFC label in ACE form; nil when it holds a byte or scalar no label may hold.
    /// An empty label is returned empty so the caller can tell it apart.
    static func aceLabel(_ label: Substring) -> String? {
        for scalar in label.unicodeScalars {
            if scalar.value < 0x80 {
                guard isLabelByte(UInt8(scalar.value)) else { return nil }
            } else if scalar.properties.isWhitespace || scalar.value == 0xFFFD
                || scalar.properties.generalCategory == .control
            {
                // U+FFFD stands for bytes that were not UTF-8: never part of a real name.
                return nil
            }
        }
        return Punycode.aceLabel(label)
    }

    /// The last `count` labels of `bytes` (which has no trailing dot), as a String.
    static func lastLabels(_ count: Int, of bytes: UnsafeBufferPointer<UInt8>) -> String {
        var seen = 0
        var start = bytes.count
        while start > 0 {
            if bytes[start - 1] == 0x2E {
                seen += 1
                if seen == count { break }
            }
            start -= 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
    }
}
