import CrumbsModel

extension RequestEvent {
    /// About how many bytes of memory the event holds while it waits in the recorder's queue:
    /// the struct itself, and a heap block (with its header) for each string too long to be
    /// stored inline and for each array. An estimate (Swift does not say), used only to bound
    /// the queue (scripts/torture compares it with the process's growth under a full disk).
    /// `record()` computes it on the event loop for every event, so it allocates nothing.
    var approximateFootprint: Int {
        var bytes = MemoryLayout<RequestEvent>.stride
        bytes += Self.heapBytes(clientAddress) + Self.heapBytes(method) + Self.heapBytes(scheme)
        bytes += Self.heapBytes(host) + Self.heapBytes(path) + Self.heapBytes(contentType)
        bytes += Self.heapBytes(refererSite) + Self.heapBytes(originSite) + Self.heapBytes(secFetchSite)
        bytes += Self.heapBytes(secFetchMode) + Self.heapBytes(secFetchDest) + Self.heapBytes(accept)
        bytes += Self.heapBytes(failure)
        if let detail {
            bytes +=
                Self.heapBytes(detail.target) + Self.heapBytes(detail.sourceHost)
        }
        if !cookiesSent.isEmpty {
            bytes += Self.arrayHeader + cookiesSent.count * MemoryLayout<SentCookie>.stride
            for cookie in cookiesSent {
                bytes += Self.heapBytes(cookie.name) + Self.heapBytes(cookie.valueHash)
                bytes += cookie.tokenHashes.isEmpty ? 0 : Self.arrayHeader + cookie.tokenHashes.count * 48
            }
        }
        if !cookiesSet.isEmpty {
            bytes += Self.arrayHeader + cookiesSet.count * MemoryLayout<SetCookieObservation>.stride
            for cookie in cookiesSet {
                bytes += Self.heapBytes(cookie.name) + Self.heapBytes(cookie.valueHash)
                bytes += Self.heapBytes(cookie.domain) + Self.heapBytes(cookie.path)
                bytes += cookie.tokenHashes.isEmpty ? 0 : Self.arrayHeader + cookie.tokenHashes.count * 48
            }
        }
        if !urlTokens.isEmpty {
            bytes += Self.arrayHeader + urlTokens.count * MemoryLayout<URLToken>.stride
            for token in urlTokens {
                bytes += Self.heapBytes(token.host) + Self.heapBytes(token.name) + Self.heapBytes(token.valueHash)
            }
        }
        return bytes
    }

    /// A heap block's header and rounding, as glibc's malloc adds to every allocation.
    private static let arrayHeader = 48

    /// Strings of up to 15 UTF-8 bytes live inside the String value; longer ones in a heap block.
    private static func heapBytes(_ text: String?) -> Int {
        guard let text, text.utf8.count > 15 else { return 0 }
        return 48 + text.utf8.count
    }
}
