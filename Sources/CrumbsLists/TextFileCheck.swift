/// Whether a file given as a list is text at all. A binary file read as a filter list yields
/// fragments that parse as one- or two-character rules and mark most URLs as trackers; read as a
/// suffix list, garbage suffixes. Lists are text: UTF-8 (or ASCII) with line breaks, no NUL bytes
/// and almost no control characters.
enum TextFileCheck {
    /// How much of the file is looked at: enough to catch every binary format in practice.
    static let sampleSize = 64 * 1024

    /// Why `bytes` is not a text file, or nil when it is.
    static func problem(_ bytes: some Collection<UInt8>) -> String? {
        let sample = bytes.prefix(sampleSize)
        if sample.starts(with: [0x1F, 0x8B]) { return "is gzip-compressed; give the uncompressed file" }
        if sample.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "is a zip archive; give the file inside it" }
        var controls = 0
        for (offset, byte) in sample.enumerated() {
            if byte == 0 { return "is not a text file (a NUL byte at offset \(offset))" }
            // Tab, line feed, vertical tab, form feed and carriage return are text.
            if byte < 0x20 && !(0x09...0x0D).contains(byte) || byte == 0x7F { controls += 1 }
        }
        // A stray control byte spoils only its line; many of them mean the file is not text.
        if controls >= 8, controls * 100 > sample.count {
            return "is not a text file (\(controls) control bytes in its first \(sample.count))"
        }
        return nil
    }
}
