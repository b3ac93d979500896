import Foundation

/// One client's CONNECT tunnels in the order they opened, and the navigations they imply.
///
/// Without decryption a page load shows only as tunnels: one to the site the user went to, then
/// a burst to its subresources and trackers. A tunnel opening is taken as a navigation when
/// - no list files its host as a third party (a tracker's host is never a page the user chose),
/// - the client was quiet before it: no tunnel opened and no page loaded for `quietGap`, and
/// - a burst follows (another tunnel within `burstWindow`), or the quiet before it was long
///   (`longQuiet`): a page without third parties opens a single tunnel.
/// An inferred navigation is a guess and is reported as one (`inferredNavigation`, low confidence).
///
/// Cost: a busy client opens thousands of tunnels a minute, and every tunnel is attributed when
/// it closes. Openings are kept sorted (binary search), and the few that follow a quiet gap are
/// indexed apart (`candidates`), so finding the navigation before a tunnel does not walk the
/// tunnels between them.
struct TunnelTimeline {
    struct Opening {
        var time: Date
        var host: String
        var site: String
        var listed: Bool
        /// Seconds since the tunnel or page before it (kept, so pruning older ones changes nothing).
        var quiet: TimeInterval = .infinity
    }

    static let quietGap: TimeInterval = 1
    static let longQuiet: TimeInterval = 3
    static let burstWindow: TimeInterval = 3
    /// Openings kept at most; pruned in chunks, not one by one.
    static let capacity = 4096
    /// Plain-http page loads kept at most, pruned the same way.
    static let activityCapacity = 256

    /// Ordered by time.
    private(set) var openings: [Opening] = []
    /// Indices into `openings` of unlisted openings after a quiet gap, ascending.
    private var candidates: [Int] = []
    /// Pages loaded in the clear, which end a quiet period as tunnels do. Ordered.
    private var activity: [Date] = []

    mutating func add(_ opening: Opening) {
        let position = Self.insertionIndex(in: openings, for: opening.time) { $0.time }
        openings.insert(opening, at: position)
        if position < openings.count - 1 {
            // Out of order (rare): later indices shift, and the next opening's quiet shrank.
            for k in candidates.indices where candidates[k] >= position { candidates[k] += 1 }
            refresh(position + 1)
        }
        refresh(position)
    }

    mutating func noteActivity(at time: Date) {
        activity.insert(time, at: Self.insertionIndex(in: activity, for: time) { $0 })
        // The first opening after it may no longer follow a quiet gap.
        let next = Self.insertionIndex(in: openings, for: time) { $0.time }
        if next < openings.count { refresh(next) }
    }

    /// The latest inferred navigation that opened at or before `time` and not before `earliest`.
    /// A tunnel opened exactly at `time` may be the navigation itself.
    func navigation(atOrBefore time: Date, notBefore earliest: Date) -> Opening? {
        var k = Self.insertionIndex(in: candidates, for: time) { openings[$0].time } - 1
        while k >= 0 {
            let index = candidates[k]
            guard openings[index].time >= earliest else { return nil }
            if isNavigation(candidate: index) { return openings[index] }
            k -= 1
        }
        return nil
    }

    /// A candidate is a navigation after a long quiet, or when a burst follows it.
    private func isNavigation(candidate index: Int) -> Bool {
        if openings[index].quiet >= Self.longQuiet { return true }
        let next = index + 1
        return next < openings.count && openings[next].time.timeIntervalSince(openings[index].time) <= Self.burstWindow
    }

    /// Seconds between the opening at `index` and the tunnel or page before it.
    private func quietBefore(_ index: Int) -> TimeInterval {
        let time = openings[index].time
        var previous = index > 0 ? openings[index - 1].time : Date.distantPast
        let pages = Self.insertionIndex(in: activity, for: time) { $0 }
        if pages > 0 { previous = max(previous, activity[pages - 1]) }
        return time.timeIntervalSince(previous)
    }

    /// Measures the quiet before the opening at `index` and puts it into `candidates` or takes
    /// it out accordingly.
    private mutating func refresh(_ index: Int) {
        openings[index].quiet = quietBefore(index)
        let isCandidate = !openings[index].listed && openings[index].quiet >= Self.quietGap
        let k = Self.insertionIndex(in: candidates, for: index) { $0 } - 1
        let present = k >= 0 && candidates[k] == index
        if isCandidate, !present {
            candidates.insert(index, at: k + 1)
        } else if !isCandidate, present {
            candidates.remove(at: k)
        }
    }

    func needsPruning(before oldest: Date) -> Bool {
        (openings.first.map { $0.time < oldest } ?? false) || (activity.first.map { $0 < oldest } ?? false)
            || openings.count > 2 * Self.capacity || activity.count > 2 * Self.activityCapacity
    }

    /// Drops what is older than `oldest`, and the oldest beyond the capacity.
    mutating func prune(before oldest: Date) {
        let stale = Self.insertionIndex(in: openings, for: oldest.addingTimeInterval(-1e-9)) { $0.time }
        let removed = max(stale, openings.count > 2 * Self.capacity ? openings.count - Self.capacity : 0)
        if removed > 0 {
            openings.removeFirst(removed)
            candidates = candidates.compactMap { $0 >= removed ? $0 - removed : nil }
        }
        let oldPages = Self.insertionIndex(in: activity, for: oldest.addingTimeInterval(-1e-9)) { $0 }
        let excessPages = activity.count > 2 * Self.activityCapacity ? activity.count - Self.activityCapacity : 0
        activity.removeFirst(max(oldPages, excessPages))
    }

    /// The index after every element whose key is at or before `value` (binary search over an
    /// ascending array): where an element with that key goes, after its equals.
    static func insertionIndex<Element, Key: Comparable>(
        in array: [Element], for value: Key, key: (Element) -> Key
    ) -> Int {
        var low = 0
        var high = array.count
        while low < high {
            let middle = (low + high) / 2
            if key(array[middle]) <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
