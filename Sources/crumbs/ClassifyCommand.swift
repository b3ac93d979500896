import ArgumentParser
import CrumbsLists
import CrumbsModel
import Foundation

/// `crumbs classify`: requests in (JSON lines `{"url","sourceUrl","type"}` or plain URLs, one per
/// line), verdicts out (one JSON line each), with the same lists `crumbs run` uses.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify requests read from stdin with the loaded tracker lists.",
        discussion: """
            Input, one per line: {"url": "...", "sourceUrl": "...", "type": "script"} (sourceUrl is \
            the page or frame URL and may be empty; type as in filter lists or Chrome's resource \
            types), or a bare URL. Output, one JSON object per line: url, firstParty, thirdParty, \
            sameOwner, tracker, lists, rule, ruleLocation, company, categories.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var listOptions: ListOptions

    struct Input: Decodable {
        var url: String
        var sourceUrl: String?
        var type: String?
    }

    struct Output: Encodable {
        var url: String
        var firstParty: String?
        var thirdParty: Bool
        var sameOwner: Bool
        var tracker: Bool
        var lists: [String]
        var rule: String?
        var ruleLocation: String?
        var company: String?
        var categories: [String]
        var error: String?
    }

    func run() throws {
        try CLIError.reporting {
            let config = try global.loadConfig()
            let dataDirectory = try global.resolvedDataDirectory(config: config)
            let (lists, _, warnings) = try listOptions.catalog(config: config, dataDirectory: dataDirectory).load()
            for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            let classifier = RequestClassifier(lists: lists)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var output = Data()
            while let line = readLine(strippingNewline: true) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                output += try encoder.encode(Self.classify(trimmed, with: classifier))
                output.append(0x0A)
                if output.count > 1 << 16 {
                    FileHandle.standardOutput.write(output)
                    output.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(output)
        }
    }

    /// One input line to one verdict. A line that is neither JSON nor a URL gets an `error`.
    static func classify(_ line: String, with classifier: RequestClassifier) -> Output {
        var input = Input(url: line)
        if line.hasPrefix("{") {
            guard let decoded = try? JSONDecoder().decode(Input.self, from: Data(line.utf8)) else {
                return Output(url: line, error: "not a JSON object with a \"url\" string")
            }
            input = decoded
        }
        guard let host = host(of: input.url) else {
            return Output(url: input.url, error: "not an http(s) or ws(s) URL")
        }
        let sourceHost = input.sourceUrl.flatMap(host(of:))
        let firstParty = sourceHost.map(classifier.site(ofHost:))
        let type =
            input.type.flatMap { ResourceType(listName: $0) }.flatMap { RequestType(rawValue: $0.rawValue) }
            ?? inferredType(of: input.url)
        // A page load without a source is its own page, as the recorder sees it: `domain=`
        // options then see the page's own host.
        let isPage = type == .document && sourceHost == nil
        let verdict = classifier.classify(
            url: input.url, host: host, type: type,
            firstPartySite: firstParty ?? (isPage ? classifier.site(ofHost: host) : nil),
            sourceHost: sourceHost ?? (isPage ? host : nil))
        return Output(
            url: input.url, firstParty: verdict.firstPartySite, thirdParty: verdict.isThirdParty,
            sameOwner: verdict.isSameOwner, tracker: verdict.isTracker, lists: verdict.lists, rule: verdict.rule,
            ruleLocation: verdict.ruleLocation, company: verdict.company, categories: verdict.categories
        )
    }

    static func host(of url: String) -> String? {
        guard let scheme = url.range(of: "://"),
            ["http", "https", "ws", "wss"].contains(url[..<scheme.lowerBound].lowercased())
        else { return nil }
        var authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        let host = authority.split(separator: ":").first.map(String.init) ?? ""
        return host.isEmpty ? nil : host.lowercased()
    }

    /// Without a type, the path's extension tells what it can (`.js` is a script).
    static func inferredType(of url: String) -> RequestType {
        let path = url.range(of: "://").map { String(url[$0.upperBound...].drop { $0 != "/" }) } ?? ""
        let event = RequestEvent(
            time: Date(), clientAddress: "", method: "GET", scheme: "http", host: "", port: 0, path: path)
        return RequestType.infer(for: event)
    }
}

extension ClassifyCommand.Output {
    init(url: String, error: String) {
        self.init(
            url: url, firstParty: nil, thirdParty: false, sameOwner: false, tracker: false, lists: [], rule: nil,
            ruleLocation: nil, company: nil, categories: [], error: error)
    }
}
