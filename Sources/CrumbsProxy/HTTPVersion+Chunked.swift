import NIOHTTP1

extension HTTPVersion {
    /// HTTP/1.1 and later know chunked coding and interim (1xx) responses; HTTP/1.0 does not.
    var supportsChunked: Bool { major > 1 || (major == 1 && minor >= 1) }
}
