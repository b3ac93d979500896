/// Everything classification consults, loaded once and replaced whole on reload, so that a
/// request is never judged by half-old, half-new lists.
public struct LoadedLists: Sendable {
    public var publicSuffixes: PublicSuffixList
    public var filters: FilterEngine
    public var entities: EntityMap

    public init(publicSuffixes: PublicSuffixList, filters: FilterEngine, entities: EntityMap) {
        self.publicSuffixes = publicSuffixes
        self.filters = filters
        self.entities = entities
    }

    /// No lists at all: only parties are told apart (by the built-in suffix list).
    public static let minimal = LoadedLists(
        publicSuffixes: .builtIn, filters: FilterEngine(lists: []), entities: .empty
    )
}
