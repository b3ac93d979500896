import Foundation

/// Matches an Adblock Plus pattern (`*` any run, `^` a separator or the end, anything else
/// itself) against URL bytes, with no allocation.
///
/// Patterns are stored as written. With `foldCase` (every rule but `match-case` ones) pattern
/// bytes are lower-cased on the fly and the URL arrives lower-cased; otherwise both compare as
/// written. The pattern carries no anchors: the caller chooses where matching may start.
enum PatternMatcher {
    enum Outcome {
        case match
        case noMatch
        /// Failed after a `*`: the rest could not be found anywhere later, so no later start
        /// can succeed either (segments only ever move right).
        case noMatchAnywhere
    }

    /// Matches `pattern` starting exactly at `start`; with `anchoredEnd` it must also consume
    /// the URL to its end.
    @inline(__always)
    static func matchAt(
        _ pattern: UnsafeBufferPointer<UInt8>, _ url: UnsafeBufferPointer<UInt8>, _ start: Int, anchoredEnd: Bool,
        foldCase: Bool
    ) -> Outcome {
        var i = start
        var j = 0
        var backJ = -1
        var backI = 0
        let m = pattern.count
        let n = url.count
        while true {
            if j == m {
                if !anchoredEnd || i == n { return .match }
            } else {
                let p = foldCase ? FilterBytes.lower(pattern[j]) : pattern[j]
                if p == 0x2A {  // *
                    j += 1
                    backJ = j
                    backI = i
                    continue
                }
                if i < n {
                    let u = url[i]
                    if p == u || (p == 0x5E && FilterBytes.isSeparator(u)) {
                        i += 1
                        j += 1
                        continue
                    }
                } else if p == 0x5E {  // ^ also matches the end of the URL
                    j += 1
                    continue
                }
            }
            guard backJ >= 0 else { return .noMatch }
            guard backI < n else { return .noMatchAnywhere }
            backI += 1
            i = backI
            j = backJ
        }
    }

    /// Matches `pattern` at any position from `start` on (a pattern without a start anchor).
    static func matchAnywhere(
        _ pattern: UnsafeBufferPointer<UInt8>, _ url: UnsafeBufferPointer<UInt8>, from start: Int, anchoredEnd: Bool,
        foldCase: Bool
    ) -> Bool {
        guard let written = pattern.first else { return true }  // an empty pattern matches every URL
        let first = foldCase ? FilterBytes.lower(written) : written
        var position = start
        let literal = first != 0x2A && first != 0x5E
        while position <= url.count {
            if literal {
                // Jump to the next place the first byte occurs (memchr is vectorised): most
                // positions fail on the first byte.
                guard position < url.count,
                    let found = memchr(url.baseAddress! + position, Int32(first), url.count - position)
                else { return false }
                position = url.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            switch matchAt(pattern, url, position, anchoredEnd: anchoredEnd, foldCase: foldCase) {
            case .match: return true
            case .noMatchAnywhere: return false
            case .noMatch: position += 1
            }
        }
        return false
    }
}
