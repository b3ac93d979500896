import CrumbsModel
import Foundation
import GRDB

/// Which stored events an operation applies to (`crumbs forget`, retention): the conditions that
/// are set must all hold. An empty selection selects nothing unless `everything` is set, so that
/// a forgotten option can never turn into "forget everything".
public struct EventSelection: Sendable, Equatable {
    /// Events whose host, or whose first-party site, is this name or under it.
    public var site: String?
    /// Events of these client values (addresses, pseudonyms or device labels, as stored).
    public var clients: Set<String>?
    /// `since <= time`.
    public var since: Date?
    /// `time < until`.
    public var until: Date?
    public var sources: Set<RequestEvent.Source>?
    /// Events read from this import.
    public var importID: Int64?
    /// Every event (`--all`).
    public var everything: Bool

    public init(
        site: String? = nil, clients: Set<String>? = nil, since: Date? = nil, until: Date? = nil,
        sources: Set<RequestEvent.Source>? = nil, importID: Int64? = nil, everything: Bool = false
    ) {
        self.site = site.map(Self.normalised)
        self.clients = clients
        self.since = since
        self.until = until
        self.sources = sources
        self.importID = importID
        self.everything = everything
    }

    /// True when no condition is set and `everything` is not either: such a selection is refused.
    public var isEmpty: Bool {
        !everything && site == nil && clients == nil && since == nil && until == nil && sources == nil
            && importID == nil
    }

    /// A host name as stored: lower case, without a trailing dot.
    public static func normalised(_ site: String) -> String {
        var name = site.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// The `WHERE` condition on `event e` and its arguments.
    var condition: (sql: String, arguments: StatementArguments) {
        var parts: [String] = []
        var arguments: StatementArguments = []
        if let site {
            // The names are found in `party` (a few thousand rows), then the events through the
            // host and first-party site indexes.
            parts.append(
                "(e.host IN \(Self.matchingParties) OR e.id IN (SELECT event_id FROM classification "
                    + "WHERE first_party_site IN \(Self.matchingParties)))")
            let under = "%." + Self.escapedForLike(site)
            arguments += [site, under, site, under]
        }
        if let clients {
            let placeholders = Array(repeating: "?", count: clients.count).joined(separator: ", ")
            parts.append("e.client IN (SELECT id FROM party WHERE text IN (\(placeholders)))")
            for client in clients.sorted() { arguments += [client] }
            if clients.isEmpty { parts.append("0") }
        }
        if let since {
            parts.append("e.time >= ?")
            arguments += [StoredCode.milliseconds(since)]
        }
        if let until {
            parts.append("e.time < ?")
            arguments += [StoredCode.milliseconds(until)]
        }
        if let sources {
            let codes = sources.map { String(StoredCode.code($0)) }.sorted().joined(separator: ", ")
            parts.append(sources.isEmpty ? "0" : "e.source IN (\(codes))")
        }
        if let importID {
            parts.append("e.import_id = ?")
            arguments += [importID]
        }
        if parts.isEmpty { return (everything ? "1" : "0", arguments) }
        return (parts.joined(separator: " AND "), arguments)
    }

    /// The ids of the site's name and of names under it (two parameters: the name, and
    /// `%.` + the name escaped for LIKE).
    static let matchingParties = "(SELECT id FROM party WHERE text = ? OR text LIKE ? ESCAPE '\\')"

    /// `%` and `_` are LIKE wildcards; host names do not contain them, but a typed argument might.
    static func escapedForLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
