/// Brings a domain as written in a list to the key form the `EntityMap` stores: lower-case ACE,
/// without a leading `*.`/`.` or a trailing dot. Lists hold registrable domains and host names;
/// a pattern like `*.disqus.com` means the same as `disqus.com` here, because lookups walk up
/// the labels of the request host anyway.
enum ListDomain {
    static func normalize(_ raw: String) -> String? {
        var text = Substring(raw)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        if text.hasPrefix("*.") { text.removeFirst(2) } else if text.hasPrefix(".") { text.removeFirst() }
        guard !text.isEmpty else { return nil }
        var bytes = Array(text.utf8)
        if bytes.contains(where: { $0 >= 0x80 }) {
            // Unicode entries are rare (IDN sites); the PSL's normaliser gives the same ACE form
            // that request hosts are brought to.
            guard let normalized = HostName.normalize(String(text)) else { return nil }
            bytes = normalized.ace
        }
        if bytes.last == 0x2E { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.count <= HostName.maxLength else { return nil }
        var labelLength = 0
        for index in bytes.indices {
            let byte = bytes[index]
            if byte >= 0x41 && byte <= 0x5A {
                bytes[index] = byte + 0x20
                labelLength += 1
            } else if byte == 0x2E {
                guard labelLength > 0 else { return nil }
                labelLength = 0
            } else if HostName.isLabelByte(byte) {
                labelLength += 1
            } else {
                return nil
            }
            guard labelLength <= HostName.maxLabelLength else { return nil }
        }
        guard labelLength > 0 else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
