import Foundation

/// Escaping for text and attribute values in the XML exports (GraphML, GEXF).
///
/// Every string in a graph comes from the network, so it is treated as hostile: the five markup
/// characters become entities, and characters that XML 1.0 forbids outright (most C0 controls,
/// lone surrogates, U+FFFE/U+FFFF) are dropped, because no entity can carry them and a single
/// one makes the whole file unreadable for networkx and Gephi.
enum XMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Parsers normalise raw tab/newline in attribute values to spaces; entities survive.
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The XML 1.0 `Char` production.
    static func isAllowed(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

/// Timestamps in every export: ISO 8601 in UTC, whole seconds, so files diff cleanly.
enum GraphDate {
    static func string(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
