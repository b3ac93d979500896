/// What matching needs to know about one request, prepared once: the URL's bytes (as written
/// and lower-cased), its host, the hashes of the host's and the page host's label suffixes, and
/// the index entries its host suffixes and URL tokens hit. All buffers live on the stack for
/// the duration of one decision.
struct MatchContext {
    var url: UnsafeBufferPointer<UInt8>
    var lower: UnsafeBufferPointer<UInt8>
    var urlString: String
    var host: Range<Int>
    /// Every label suffix of the request host, for `denyallow=`.
    var hostHashes: UnsafeBufferPointer<UInt64>
    /// The host suffixes that have rules filed under them, and where each suffix starts.
    var hostHits: UnsafeBufferPointer<RuleHeads>
    var hostHitStarts: UnsafeBufferPointer<Int>
    /// Every label suffix of the page host, for `domain=`.
    var sourceHashes: UnsafeBufferPointer<UInt64>
    /// The hash of the page site's name (`google` for `www.google.co.uk`), for `domain=name.*`.
    var sourceEntity: UInt64?
    /// The URL tokens that have rules filed under them.
    var tokenHits: UnsafeBufferPointer<RuleHeads>
    var type: TypeMask
    var thirdParty: Bool

    /// Hosts deeper than this keep only their shortest suffixes for `domain=` and host lookups.
    static let maxLabels = 32

    /// Prepares the context of `request` against `rules` in one stack allocation and hands it
    /// to `body`; nothing of it outlives the call.
    static func with<Result>(
        _ request: FilterRequest, _ rules: CompiledRules, _ body: (MatchContext) -> Result
    ) -> Result {
        var url = request.url
        var source = request.sourceHost ?? ""
        return url.withUTF8 { url in
            source.withUTF8 { source in
                let scratch = Scratch(urlLength: url.count)
                return withUnsafeTemporaryAllocation(byteCount: scratch.byteCount, alignment: 8) { raw in
                    body(prepare(request, rules, url: url, source: source, scratch: scratch, raw))
                }
            }
        }
    }

    /// The regions of the scratch allocation: hashes (host suffixes, page suffixes, URL
    /// tokens), host-hit starts, index hits (host, then token), and the lower-cased URL.
    private struct Scratch {
        let tokenCapacity: Int
        let hashCount: Int
        let hitCount: Int
        let urlLength: Int

        init(urlLength: Int) {
            // A token is two bytes or more plus a separator: at most half the URL.
            tokenCapacity = urlLength / 2 + 1
            hashCount = 2 * MatchContext.maxLabels + tokenCapacity
            hitCount = MatchContext.maxLabels + tokenCapacity
            self.urlLength = urlLength
        }

        var startsOffset: Int { hashCount * MemoryLayout<UInt64>.stride }
        var hitsOffset: Int { startsOffset + MatchContext.maxLabels * MemoryLayout<Int>.stride }
        var lowerOffset: Int { hitsOffset + hitCount * MemoryLayout<RuleHeads>.stride }
        var byteCount: Int { lowerOffset + max(urlLength, 1) }

        func region<T>(_ raw: UnsafeMutableRawBufferPointer, _ offset: Int, _ count: Int, as type: T.Type)
            -> UnsafeMutableBufferPointer<T>
        {
            UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + count * MemoryLayout<T>.stride)])
                .bindMemory(to: T.self)
        }
    }

    private static func prepare(
        _ request: FilterRequest, _ rules: CompiledRules, url: UnsafeBufferPointer<UInt8>,
        source: UnsafeBufferPointer<UInt8>, scratch: Scratch, _ raw: UnsafeMutableRawBufferPointer
    ) -> MatchContext {
        let limit = maxLabels
        let hashes = scratch.region(raw, 0, scratch.hashCount, as: UInt64.self)
        let starts = scratch.region(raw, scratch.startsOffset, limit, as: Int.self)
        let hits = scratch.region(raw, scratch.hitsOffset, scratch.hitCount, as: RuleHeads.self)
        let lower = scratch.region(raw, scratch.lowerOffset, url.count, as: UInt8.self)
        for index in 0..<url.count { lower[index] = FilterBytes.lower(url[index]) }
        let lowerURL = UnsafeBufferPointer(lower)

        // Host suffixes: all of them for `denyallow=`, the ones with rules for matching.
        let host = FilterBytes.hostRange(in: lowerURL)
        var hostCount = 0
        var hostHitCount = 0
        FilterBytes.forEachSuffix(lowerURL, host) { hash, start in
            hashes[hostCount] = hash
            hostCount += 1
            if let heads = rules.hosts.heads(hash) {
                hits[hostHitCount] = heads
                starts[hostHitCount] = start
                hostHitCount += 1
            }
            return hostCount < limit
        }
        var sourceCount = 0
        FilterBytes.forEachSuffix(source, 0..<source.count) { hash, _ in
            hashes[limit + sourceCount] = hash
            sourceCount += 1
            return sourceCount < limit
        }
        if source.isEmpty { sourceCount = 0 }
        // URL tokens: only those with rules filed under them are kept.
        let tokenHashes = UnsafeMutableBufferPointer(rebasing: hashes[(2 * limit)...])
        let tokenCount = FilterTokens.tokenize(lowerURL, into: tokenHashes)
        var tokenHitCount = 0
        for index in 0..<tokenCount {
            if let heads = rules.tokens.heads(tokenHashes[index]) {
                hits[limit + tokenHitCount] = heads
                tokenHitCount += 1
            }
        }
        let readHashes = UnsafeBufferPointer(hashes)
        let readHits = UnsafeBufferPointer(hits)
        return MatchContext(
            url: url, lower: lowerURL, urlString: request.url, host: host,
            hostHashes: UnsafeBufferPointer(rebasing: readHashes[0..<hostCount]),
            hostHits: UnsafeBufferPointer(rebasing: readHits[0..<hostHitCount]),
            hostHitStarts: UnsafeBufferPointer(rebasing: UnsafeBufferPointer(starts)[0..<hostHitCount]),
            sourceHashes: UnsafeBufferPointer(rebasing: readHashes[limit..<(limit + sourceCount)]),
            sourceEntity: entityHash(request.sourceSite),
            tokenHits: UnsafeBufferPointer(rebasing: readHits[limit..<(limit + tokenHitCount)]),
            type: request.type.bit, thirdParty: request.isThirdParty)
    }

    /// The hash of a site's first label: `google` for `google.co.uk`.
    static func entityHash(_ site: String?) -> UInt64? {
        guard var site, !site.isEmpty else { return nil }
        return site.withUTF8 { bytes in
            var end = 0
            while end < bytes.count, bytes[end] != 0x2E { end += 1 }
            return FilterBytes.hostHash(bytes, 0..<end)
        }
    }
}
