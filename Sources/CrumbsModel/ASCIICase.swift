extension Collection<UInt8> {
    /// These bytes equal `lowercase` (already lower case) in ASCII, whatever the case of their
    /// letters: header names, URL schemes. Compared in place, without a lower-cased copy (the
    /// proxy does this for every header of every request). Inlinable: other modules (the proxy,
    /// the ingest builder) call it per header, and must get a specialised copy, not the generic one.
    @inlinable
    public func equalsIgnoringASCIICase(_ lowercase: String) -> Bool {
        guard count == lowercase.utf8.count else { return false }
        return zip(self, lowercase.utf8).allSatisfy { byte, lower in
            byte == lower || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") && byte | 0x20 == lower)
        }
    }
}
