import Foundation

/// Compares company names across lists that spell them differently: `Google LLC`, `Google`;
/// `Amazon.com, Inc.`, `Amazon`; `comScore`, `Comscore, Inc`. The key is the name folded to
/// lower-case ASCII letters and digits with legal-form words dropped from the end. Renames and
/// parents (`Facebook` → `Meta`) are not guessed here: the curated entities file lists them as
/// other names.
enum CompanyName {
    /// Trailing words that only say what kind of company it is.
    private static let legalForms: Set<String> = [
        "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "ag",
        "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "plc", "pty", "oy", "ab", "as", "asa", "kk", "lp", "llp",
        "pte", "pvt", "sl", "se", "com",
    ]

    static func key(_ name: String) -> String {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var words = folded.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init)
        if words.count > 1, words.first == "the" { words.removeFirst() }
        while words.count > 1, let last = words.last, legalForms.contains(last) { words.removeLast() }
        let key = words.joined()
        return key.isEmpty ? folded : key
    }
}
