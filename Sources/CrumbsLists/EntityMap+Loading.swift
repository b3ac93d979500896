import Foundation

/// The result of loading every entity/category list that was found: the map, what each list
/// kept and skipped, and the lists that were found but could not be used.
public struct EntityMapLoad: Sendable {
    public var map: EntityMap
    public var reports: [EntityListReport]
    /// A list that fails to load is left out; the map is built from the others. The CLI decides
    /// whether that is worth a warning or an exit.
    public var errors: [EntityListError]
}

extension EntityMap {
    /// Parses the entity and category lists among `files` and merges them. Filter lists and the
    /// PSL in `files` are ignored here (the filter engine and `PublicSuffixList` read those).
    /// `publicSuffixes` marks shared-hosting suffixes (see `EntityMap(_:publicSuffixes:)`).
    public static func load(_ files: ResolvedListFiles, publicSuffixes: PublicSuffixList? = nil) -> EntityMapLoad {
        var contributions: [EntityListContribution] = []
        var reports: [EntityListReport] = []
        var errors: [EntityListError] = []

        func attempt(_ body: () throws(EntityListError) -> (EntityListContribution, [EntityListReport])) {
            do {
                let (contribution, listReports) = try body()
                contributions.append(contribution)
                reports += listReports
            } catch {
                errors.append(error)
            }
        }

        if let trackers = files[.curatedTrackers] {
            attempt { () throws(EntityListError) in
                let list = try CuratedList(
                    trackersAt: URL(fileURLWithPath: trackers),
                    entitiesAt: files[.curatedEntities].map { URL(fileURLWithPath: $0) })
                return (list.contribution, [list.trackersReport, list.entitiesReport])
            }
        }
        if let path = files[.disconnectServices] {
            attempt { () throws(EntityListError) in
                let list = try DisconnectServices(contentsOf: URL(fileURLWithPath: path))
                return (list.contribution, [list.report])
            }
        }
        if let path = files[.disconnectEntities] {
            attempt { () throws(EntityListError) in
                let list = try DisconnectEntities(contentsOf: URL(fileURLWithPath: path), source: .disconnect)
                return (list.contribution, [list.report])
            }
        }
        if let path = files[.duckDuckGoTrackerData] {
            attempt { () throws(EntityListError) in
                let list = try DuckDuckGoTrackerData(contentsOf: URL(fileURLWithPath: path))
                return (list.contribution, [list.report])
            }
        }
        if let path = files[.lightbeamEntities] {
            attempt { () throws(EntityListError) in
                let list = try DisconnectEntities(contentsOf: URL(fileURLWithPath: path), source: .lightbeam)
                return (list.contribution, [list.report])
            }
        }
        if let path = files[.privacyBadgerSocialWidgets] {
            attempt { () throws(EntityListError) in
                let list = try SocialWidgetList(contentsOf: URL(fileURLWithPath: path))
                return (list.contribution, [list.report])
            }
        }
        return EntityMapLoad(
            map: EntityMap(contributions, publicSuffixes: publicSuffixes), reports: reports, errors: errors)
    }
}
