import Foundation

/// Pairs DNS queries with their answers and remembers, per device, which name each address was
/// looked up as: a TLS or HTTP flow to a bare address then gets the name the device asked for.
/// A lookup whose CNAME chain ends on another site carries that name (CNAME cloaking).
struct DNSObserver {
    /// One lookup, reported once: when its answer arrives, or when none came in time.
    struct Lookup: Equatable {
        var client: String
        var device: String
        var name: String
        var time: Date
        /// The end of the CNAME chain, when there is one.
        var canonicalName: String?
        var answered: Bool
    }

    private struct QueryKey: Hashable {
        var client: String
        var clientPort: Int
        var id: Int
        var name: String
    }

    private struct Pending {
        var device: String
        var time: Date
    }

    static let answerTimeout: TimeInterval = 5
    static let maximumPending = 16_384
    static let maximumNamesPerClient = 8_192
    private var pending: [QueryKey: Pending] = [:]
    /// Client address → server address → the name looked up.
    private var names: [String: [String: String]] = [:]
    /// Client address → name looked up → where its CNAME chain ends (another site).
    private var canonicalNames: [String: [String: String]] = [:]

    /// A query: held until its answer.
    mutating func query(
        _ message: DNSMessage, client: String, clientPort: Int, device: String, at time: Date,
        into lookups: inout [Lookup]
    ) {
        guard let question = message.questions.first, !question.name.isEmpty else { return }
        let key = QueryKey(client: client, clientPort: clientPort, id: message.id, name: question.name)
        // A repeated query (the client retried) is the same lookup.
        guard pending[key] == nil else { return }
        if pending.count >= Self.maximumPending { flush(before: time, into: &lookups) }
        if pending.count >= Self.maximumPending, let oldest = pending.min(by: { $0.value.time < $1.value.time }) {
            lookups.append(Self.unanswered(oldest.key, oldest.value))
            pending[oldest.key] = nil
        }
        pending[key] = Pending(device: device, time: time)
    }

    /// An answer to `client`: completes its query (or stands for it when the query was not
    /// captured) and maps the answered addresses to the name looked up.
    mutating func answer(
        _ message: DNSMessage, client: String, clientPort: Int, device: String, at time: Date,
        into lookups: inout [Lookup]
    ) {
        guard let question = message.questions.first, !question.name.isEmpty else { return }
        let key = QueryKey(client: client, clientPort: clientPort, id: message.id, name: question.name)
        let query = pending.removeValue(forKey: key)
        let chain = Self.chain(from: question.name, in: message.answers)
        let canonical = chain.count > 1 ? chain.last : nil
        let owners = Set(chain)
        // In place: a copy of the device's map per answer would make a long capture quadratic.
        if names[client]?.count ?? 0 >= Self.maximumNamesPerClient { names[client] = nil }
        for answer in message.answers where (answer.type == 1 || answer.type == 28) && owners.contains(answer.name) {
            names[client, default: [:]][answer.value] = question.name
        }
        if let canonical {
            if canonicalNames[client]?.count ?? 0 >= Self.maximumNamesPerClient { canonicalNames[client] = nil }
            canonicalNames[client, default: [:]][question.name] = canonical
        }
        lookups.append(
            Lookup(
                client: client, device: query?.device ?? device, name: question.name, time: query?.time ?? time,
                canonicalName: canonical, answered: true))
    }

    /// The name `client` looked up for `address`, if the capture saw that answer.
    func name(for address: String, client: String) -> String? {
        names[client]?[address]
    }

    /// Where the CNAME chain of `name` ended, as `client` was answered.
    func canonicalName(of name: String, client: String) -> String? {
        canonicalNames[client]?[name]
    }

    /// Reports queries still unanswered since before `cutoff - answerTimeout`.
    mutating func flush(before time: Date, into lookups: inout [Lookup]) {
        let cutoff = time.addingTimeInterval(-Self.answerTimeout)
        for (key, query) in pending where query.time < cutoff {
            lookups.append(Self.unanswered(key, query))
            pending[key] = nil
        }
    }

    /// Reports every query still waiting (the capture ended).
    mutating func finish(into lookups: inout [Lookup]) {
        for (key, query) in pending { lookups.append(Self.unanswered(key, query)) }
        pending.removeAll()
    }

    private static func unanswered(_ key: QueryKey, _ query: Pending) -> Lookup {
        Lookup(
            client: key.client, device: query.device, name: key.name, time: query.time, canonicalName: nil,
            answered: false)
    }

    /// `name`, then each CNAME target in turn (at most 16 steps: a loop ends it).
    static func chain(from name: String, in answers: [DNSMessage.Answer]) -> [String] {
        var chain = [name]
        while chain.count <= 16,
            let next = answers.first(where: { $0.type == 5 && $0.name == chain.last }),
            !chain.contains(next.value)
        {
            chain.append(next.value)
        }
        return chain
    }
}
