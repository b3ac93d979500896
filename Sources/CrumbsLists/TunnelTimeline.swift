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
struct TunnelTimeline {
    struct Opening {
        var time: Date
        var host: String
        var site: String
        var listed: Bool
    }

    static let quietGap: TimeInterval = 1
    static let longQuiet: TimeInterval = 3
    static let burstWindow: TimeInterval = 3

    /// Ordered by time.
    private(set) var openings: [Opening] = []
    /// Pages loaded in the clear, which end a quiet period as tunnels do.
    private var activity: [Date] = []

    mutating func add(_ opening: Opening) {
        // Markers arrive nearly in order: insert from the end.
        let position = openings.lastIndex { $0.time <= opening.time }.map { $0 + 1 } ?? 0
        openings.insert(opening, at: position)
    }

    mutating func noteActivity(at time: Date) {
        let position = activity.lastIndex { $0 <= time }.map { $0 + 1 } ?? 0
        activity.insert(time, at: position)
    }

    /// The latest inferred navigation that opened at or before `time`. A tunnel to `host` that
    /// opened exactly at `time` is the tunnel being attributed: it may be the navigation itself.
    func navigation(atOrBefore time: Date, host: String) -> Opening? {
        guard var index = openings.lastIndex(where: { $0.time <= time }) else { return nil }
        while true {
            if isNavigation(at: index) { return openings[index] }
            guard index > openings.startIndex else { return nil }
            index -= 1
            // Older than any window that could apply: stop walking.
            if time.timeIntervalSince(openings[index].time) > FirstPartyAttributor.horizon { return nil }
        }
    }

    private func isNavigation(at index: Int) -> Bool {
        let opening = openings[index]
        guard !opening.listed else { return false }
        let previousOpening = index > openings.startIndex ? openings[index - 1].time : nil
        let previousPage = activity.last { $0 <= opening.time }
        let previous = [previousOpening, previousPage].compactMap { $0 }.max()
        let quiet = previous.map { opening.time.timeIntervalSince($0) } ?? .infinity
        guard quiet >= Self.quietGap else { return false }
        if quiet >= Self.longQuiet { return true }
        let next = openings.index(after: index)
        return next < openings.endIndex && openings[next].time.timeIntervalSince(opening.time) <= Self.burstWindow
    }

    func needsPruning(before oldest: Date) -> Bool {
        (openings.first.map { $0.time < oldest } ?? false) || (activity.first.map { $0 < oldest } ?? false)
            || openings.count > 4096
    }

    mutating func prune(before oldest: Date) {
        openings.removeFirst(max(openings.prefix { $0.time < oldest }.count, openings.count - 4096))
        activity.removeFirst(max(activity.prefix { $0 < oldest }.count, activity.count - 256))
    }
}
