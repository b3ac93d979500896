import CrumbsModel
import Foundation

/// A tracker list as loaded by the running Crumbs (what `crumbs lists` shows).
public struct DashboardList: Sendable {
    public var name: String
    public var kind: String
    public var path: String
    public var source: String
    public var licence: String
    public var modified: Date?
    public var counts: [(String, Int)]
    public var skipped: Int
    /// The first skipped lines, with their numbers and reasons.
    public var skippedLines: [String]

    public init(
        name: String, kind: String, path: String, source: String, licence: String, modified: Date?,
        counts: [(String, Int)], skipped: Int, skippedLines: [String]
    ) {
        self.name = name
        self.kind = kind
        self.path = path
        self.source = source
        self.licence = licence
        self.modified = modified
        self.counts = counts
        self.skipped = skipped
        self.skippedLines = skippedLines
    }
}

/// The lists in use, and when they were loaded.
public struct DashboardLists: Sendable {
    public var lists: [DashboardList]
    /// Lists that could not be loaded, and why.
    public var warnings: [String]
    public var loaded: Date

    public init(lists: [DashboardList], warnings: [String], loaded: Date) {
        self.lists = lists
        self.warnings = warnings
        self.loaded = loaded
    }
}

/// The local certificate authority, as the certificate page shows it.
public struct DashboardCertificate: Sendable, Equatable {
    public var sha256Fingerprint: String
    public var notAfter: Date?

    public init(sha256Fingerprint: String, notAfter: Date?) {
        self.sha256Fingerprint = sha256Fingerprint
        self.notAfter = notAfter
    }
}

/// What the forget form asks to forget: conditions combine, as with `crumbs forget`.
public struct ForgetRequest: Sendable, Equatable {
    public var site: String?
    /// A device, by its client (address or pseudonym).
    public var client: String?
    public var since: Day?
    public var before: Day?
    public var everything: Bool

    public init(
        site: String? = nil, client: String? = nil, since: Day? = nil, before: Day? = nil, everything: Bool = false
    ) {
        self.site = site
        self.client = client
        self.since = since
        self.before = before
        self.everything = everything
    }

    public var isEmpty: Bool { !everything && site == nil && client == nil && since == nil && before == nil }
}

/// What a forget removed, or would remove.
public struct ForgetCount: Sendable, Equatable {
    public var events: Int
    public var cookiesSent: Int
    public var cookiesSet: Int
    public var urlTokens: Int
    public var imports: Int
    /// Daily digests written again (or removed) because they covered forgotten events.
    public var digestDays: Int

    public init(events: Int, cookiesSent: Int, cookiesSet: Int, urlTokens: Int, imports: Int, digestDays: Int) {
        self.events = events
        self.cookiesSent = cookiesSent
        self.cookiesSet = cookiesSet
        self.urlTokens = urlTokens
        self.imports = imports
        self.digestDays = digestDays
    }

    public var isEmpty: Bool { events == 0 && digestDays == 0 }
}
