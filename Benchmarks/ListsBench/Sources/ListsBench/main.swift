// Loads filter lists into the CrumbsLists engine, classifies every request of a JSON-lines file
// ({"url","sourceUrl","type"}), and prints one JSON object of figures for scripts/bench-lists.
// Decisions go to --decisions, one line per request: "1|0 <TAB> list:line <TAB> rule text".
import CrumbsLists
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var lists: [String] = []
    var requests = ""
    var psl = ""
    var decisions = ""
}

func parseArguments() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        guard let value = arguments.next() else { fatal("missing value after \(argument)") }
        switch argument {
        case "--list": options.lists.append(value)
        case "--requests": options.requests = value
        case "--psl": options.psl = value
        case "--decisions": options.decisions = value
        default: fatal("unknown argument \(argument)")
        }
    }
    if options.lists.isEmpty || options.requests.isEmpty || options.psl.isEmpty || options.decisions.isEmpty {
        fatal("usage: ListsBench --list FILE... --psl FILE --requests FILE.jsonl --decisions OUT")
    }
    return options
}

func fatal(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ListsBench: \(message)\n".utf8))
    exit(2)
}

/// Monotonic nanoseconds straight from the kernel's vDSO: cheaper than Date and steady.
@inline(__always)
func nanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// VmRSS of this process in KiB.
func residentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(whereSeparator: \.isWhitespace)[1]) ?? -1
    }
    return -1
}

func percentile(_ sorted: [UInt64], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
}

let options = parseArguments()
let rssBefore = residentKiB()

// Load: read, parse and index, as the proxy would at start-up.
let loadStart = nanoseconds()
var lists: [FilterList] = []
for path in options.lists {
    do {
        lists.append(try FilterList(contentsOf: URL(fileURLWithPath: path)))
    } catch {
        fatal("\(error)")
    }
}
let engine = FilterEngine(lists: lists)
let loadNanos = nanoseconds() - loadStart
let listSummaries = lists.map { list in
    ["name": list.name, "rules": list.counts.networkRules, "skipped": list.counts.skipped] as [String: Any]
}
lists = []  // the engine keeps what it needs
let rssAfterLoad = residentKiB()

let sites: PublicSuffixList
do {
    sites = try PublicSuffixList(contentsOf: URL(fileURLWithPath: options.psl))
} catch {
    fatal("\(error)")
}

// The request file, parsed before timing starts.
struct Input {
    var url: String
    var sourceURL: String
    var type: ResourceType
}
guard let text = try? String(contentsOfFile: options.requests, encoding: .utf8) else {
    fatal("cannot read \(options.requests)")
}
var inputs: [Input] = []
for line in text.split(separator: "\n") {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
        let url = object["url"], let source = object["sourceUrl"], let typeName = object["type"],
        let type = ResourceType(listName: typeName)
    else { fatal("bad request line: \(line.prefix(120))") }
    inputs.append(Input(url: url, sourceURL: source, type: type))
}

// The cost of reading the clock twice, subtracted from every sample.
var overheads: [UInt64] = []
for _ in 0..<10_000 {
    let start = nanoseconds()
    overheads.append(nanoseconds() - start)
}
overheads.sort()
let clockOverhead = overheads[overheads.count / 2]

// Warm-up pass (page faults, lazy regex compilation), then the timed passes.
var requests = inputs.map { FilterRequest(url: $0.url, sourceURL: $0.sourceURL, type: $0.type, sites: sites) }
for request in requests { _ = engine.decide(request) }

var fullTimes = [UInt64](repeating: 0, count: inputs.count)
var decisions = [FilterDecision](repeating: .allowed, count: inputs.count)
for (index, input) in inputs.enumerated() {
    let start = nanoseconds()
    let request = FilterRequest(url: input.url, sourceURL: input.sourceURL, type: input.type, sites: sites)
    let decision = engine.decide(request)
    let elapsed = nanoseconds() - start
    fullTimes[index] = elapsed > clockOverhead ? elapsed - clockOverhead : 0
    decisions[index] = decision
}
var decideTimes = [UInt64](repeating: 0, count: inputs.count)
for (index, request) in requests.enumerated() {
    let start = nanoseconds()
    let decision = engine.decide(request)
    let elapsed = nanoseconds() - start
    decideTimes[index] = elapsed > clockOverhead ? elapsed - clockOverhead : 0
    precondition(decision.blocked == decisions[index].blocked)
}
var verdictTimes = [UInt64](repeating: 0, count: inputs.count)
for (index, request) in requests.enumerated() {
    let start = nanoseconds()
    let blocked = engine.isBlocked(request)
    let elapsed = nanoseconds() - start
    verdictTimes[index] = elapsed > clockOverhead ? elapsed - clockOverhead : 0
    precondition(blocked == decisions[index].blocked)
}
requests = []

// Public Suffix List throughput: registrable domain of every request and page host.
let hosts = inputs.flatMap { [FilterRequest.host(of: $0.url), FilterRequest.host(of: $0.sourceURL)] }
var resolved = 0
let pslStart = nanoseconds()
for host in hosts where sites.registrableDomain(of: host) != nil { resolved += 1 }
let pslNanos = nanoseconds() - pslStart

var output = ""
output.reserveCapacity(inputs.count * 80)
for decision in decisions {
    output += decision.blocked ? "1" : "0"
    if let rule = decision.rule {
        output += "\t\(rule.list):\(rule.line)\t\(rule.text)"
    }
    output += "\n"
}
do {
    try output.write(toFile: options.decisions, atomically: true, encoding: .utf8)
} catch {
    fatal("cannot write \(options.decisions): \(error)")
}

fullTimes.sort()
decideTimes.sort()
verdictTimes.sort()
let summary: [String: Any] = [
    "requests": inputs.count,
    "blocked": decisions.filter(\.blocked).count,
    "load_ms": Double(loadNanos) / 1e6,
    "rss_before_kib": rssBefore,
    "rss_after_load_kib": rssAfterLoad,
    "clock_overhead_ns": clockOverhead,
    "full_median_ns": percentile(fullTimes, 0.5), "full_p99_ns": percentile(fullTimes, 0.99),
    "decide_median_ns": percentile(decideTimes, 0.5), "decide_p99_ns": percentile(decideTimes, 0.99),
    "verdict_median_ns": percentile(verdictTimes, 0.5), "verdict_p99_ns": percentile(verdictTimes, 0.99),
    "psl_lookups_per_s": Double(hosts.count) / (Double(pslNanos) / 1e9),
    "lists": listSummaries,
    "engine": [
        "rules": engine.statistics.rules, "host_rules": engine.statistics.hostRules,
        "token_rules": engine.statistics.tokenRules, "fallback_rules": engine.statistics.fallbackRules,
        "cancelled_by_badfilter": engine.statistics.cancelledByBadfilter,
        "largest_token_bucket": engine.statistics.largestTokenBucket,
    ],
]
let json = try! JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
