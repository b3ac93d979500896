import ArgumentParser
import CrumbsIngest
import CrumbsModel
import CrumbsReports
import Foundation

/// `--record full|hosts|sites` and `--clients addresses|pseudonyms|none` (config keys `record`
/// and `clients`): how much of each event the store keeps, and how it names clients.
struct PrivacyOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "What the store keeps of each request: full, hosts or sites (default full).",
            discussion: """
                full: host and path (no query unless --keep-query), cookie names and keyed hashes. \
                hosts: host names, no paths. sites: only each site's and third party's registrable \
                domain, with company and category; no cookies. Classification always sees the whole request.
                """))
    var record: String?

    @Option(help: "How clients are stored: addresses, pseudonyms (keyed, stable) or none (default addresses).")
    var clients: String?

    func levels(config: ConfigFile) throws -> (StoragePolicy.Record, StoragePolicy.Clients) {
        let recordText = try record ?? config.string("record") ?? "full"
        guard let recordLevel = StoragePolicy.Record(rawValue: recordText) else {
            throw CLIError("--record must be full, hosts or sites (not \(recordText))")
        }
        let clientsText = try clients ?? config.string("clients") ?? "addresses"
        guard let clientsLevel = StoragePolicy.Clients(rawValue: clientsText) else {
            throw CLIError("--clients must be addresses, pseudonyms or none (not \(clientsText))")
        }
        return (recordLevel, clientsLevel)
    }

    /// The levels and retention as a digest states them (retention from the config file: a
    /// report command has no --retention-days).
    func recording(config: ConfigFile) throws -> Digest.Recording {
        let (record, clients) = try levels(config: config)
        return Digest.Recording(
            record: record.rawValue, clients: clients.rawValue, retentionDays: try config.int("retention-days") ?? 90)
    }

    /// The storage policy, keyed with the install secret (for pseudonyms).
    func policy(config: ConfigFile, secret: Data, resolver: any SiteResolver) throws -> StoragePolicy {
        let (record, clients) = try levels(config: config)
        return StoragePolicy(
            record: record, clients: clients, hasher: CookieHasher(secret: secret), siteResolver: resolver)
    }
}
