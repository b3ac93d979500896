import CrumbsModel
import Foundation

/// Identifier leaks and cookie syncing: a cookie value of one party, or an identifier-length part
/// of it (`IdentifierTokens`), found among the hashed URL parameters of a request that reached
/// another party.
///
/// Which party received the parameter depends on the URL that carried it: a request's query and
/// its Referer's query reach the requested host; a redirect's `Location` reaches the host it
/// points to (`URLToken.host`), which is how Acar et al. ("The Web Never Forgets", CCS 2014, §4)
/// saw syncing: tracker A redirects the browser to tracker B with A's identifier in the URL.
///
/// A value known to a party from third-party traffic is that tracker's identifier: passing it to
/// another third party is cookie syncing. Any other cookie value passed on (a site's own `_ga` in
/// an analytics beacon; Privacy Badger's "pixel cookie sharing") is a leak. Only values that pass
/// `CookieInspector.looksLikeIdentifier` are followed, and only those found in the cookies of at
/// most `CookieInspector.maximumPartiesSharingAValue` parties: short, predictable or common values
/// (flags, timestamps) match by chance.
struct TransferFinder {
    private struct Key: Hashable {
        var sync: Bool
        var name: String
        var from: String
        var to: String
        var parameter: String
        var via: URLToken.Source
    }

    let leaks: [CookieReport.IdentifierTransfer]
    let syncs: [CookieReport.IdentifierTransfer]

    init(_ events: [InspectedEvent], companies: CompanyIndex, partyOf: (String) -> String) {
        // Keyed hash → the cookies that had it, and whether each was seen on third-party traffic.
        var known: [String: [PartyCookie: Bool]] = [:]
        for item in events {
            for (name, hashes) in Self.identifierHashes(item.event) {
                let origin = PartyCookie(party: item.party, name: name)
                for hash in hashes {
                    let wasThirdParty = known[hash]?[origin] ?? false
                    known[hash, default: [:]][origin] = wasThirdParty || item.thirdParty
                }
            }
        }

        // A value in the cookies of many parties (a shared timestamp, a library version) names
        // no one: following it would tie every one of them to every URL that carries it.
        known = known.filter { Set($0.value.keys.map(\.party)).count <= CookieInspector.maximumPartiesSharingAValue }

        var found: [Key: (count: Int, hashes: Set<String>)] = [:]
        for item in events where !item.event.urlTokens.isEmpty {
            var keysInEvent: Set<Key> = []
            for token in item.event.urlTokens {
                guard let origins = known[token.valueHash] else { continue }
                let recipient = partyOf(token.source == .location ? token.host : item.event.host)
                for (origin, fromTracker) in origins {
                    guard origin.party != recipient, !companies.sameOwner(origin.party, recipient),
                        !Self.classifiedSameOwner(item, origin.party, recipient)
                    else { continue }
                    let key = Key(
                        sync: fromTracker && recipient != item.firstPartySite, name: origin.name,
                        from: origin.party, to: recipient, parameter: token.name, via: token.source)
                    found[key, default: (0, [])].hashes.insert(token.valueHash)
                    if keysInEvent.insert(key).inserted { found[key]?.count += 1 }
                }
            }
        }

        let transfers = found.map { key, value in
            (
                key.sync,
                CookieReport.IdentifierTransfer(
                    cookieName: key.name, fromParty: key.from, toParty: key.to, parameter: key.parameter,
                    via: key.via, count: value.count, valueHashes: value.hashes.sorted())
            )
        }
        let order: (CookieReport.IdentifierTransfer, CookieReport.IdentifierTransfer) -> Bool = {
            ($0.fromParty, $0.toParty, $0.cookieName, $0.parameter, $0.via.rawValue)
                < ($1.fromParty, $1.toParty, $1.cookieName, $1.parameter, $1.via.rawValue)
        }
        leaks = transfers.filter { !$0.0 }.map(\.1).sorted(by: order)
        syncs = transfers.filter { $0.0 }.map(\.1).sorted(by: order)
    }

    /// Each identifier-like cookie of `event` with the keyed hashes of its value and its parts.
    private static func identifierHashes(_ event: RequestEvent) -> [(name: String, hashes: [String])] {
        let sent = event.cookiesSent.filter {
            CookieInspector.looksLikeIdentifier(length: $0.valueLength, entropyBits: $0.entropyBits)
        }
        let set = event.cookiesSet.filter {
            CookieInspector.looksLikeIdentifier(length: $0.valueLength, entropyBits: $0.entropyBits)
        }
        return sent.map { ($0.name, [$0.valueHash] + $0.tokenHashes) }
            + set.map { ($0.name, [$0.valueHash] + $0.tokenHashes) }
    }

    /// The classifier said the event's host and its first-party site have one owner, and the
    /// transfer is between exactly those two parties.
    private static func classifiedSameOwner(_ item: InspectedEvent, _ a: String, _ b: String) -> Bool {
        guard item.event.classification?.isSameOwner == true, let site = item.firstPartySite else { return false }
        return Set([a, b]) == Set([item.party, site])
    }
}
