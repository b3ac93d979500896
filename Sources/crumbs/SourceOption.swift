import ArgumentParser
import CrumbsModel

/// `--source proxy|har|capture|all`: which inputs' events a report covers (`crumbs digest`,
/// `crumbs graph`). "proxy" includes what the proxy decrypted.
struct SourceOption: ParsableArguments {
    @Option(help: "Only events from: proxy, har, capture or all (default all).")
    var source: String = "all"

    func validate() throws {
        guard ["proxy", "har", "capture", "all"].contains(source) else {
            throw ValidationError("--source must be one of proxy, har, capture, all")
        }
    }

    /// The sources selected, nil for all of them.
    var sources: Set<RequestEvent.Source>? { Self.sources(named: source) }

    /// The sources a name selects (`crumbs forget --source` too): nil for "all" (or no name).
    static func sources(named name: String?) -> Set<RequestEvent.Source>? {
        switch name {
        case "proxy": [.proxy, .intercepted]
        case "har": [.har]
        case "capture": [.capture]
        default: nil
        }
    }

    /// How a report names the selection, nil for all sources.
    var label: String? {
        switch source {
        case "proxy": "traffic through the proxy only"
        case "har": "imported HAR recordings only"
        case "capture": "captured traffic only"
        default: nil
        }
    }
}
