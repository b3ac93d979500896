// Mints leaf certificates for N new host names with CrumbsCA's LeafCertificateIssuer, then asks
// again for the same hosts (cache hits), and prints one JSON object of figures for
// scripts/bench-intercept. Both key policies are timed: `shared` (the proxy's default) and
// `perHost`. The CA is made fresh in memory; nothing is written to disk.
import CrumbsCA
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var hosts = 2000
    var repeats = 5
}

func parseArguments() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        guard let value = arguments.next(), let number = Int(value), number > 0 else {
            fatal("\(argument) needs a positive whole number")
        }
        switch argument {
        case "--hosts": options.hosts = number
        case "--repeats": options.repeats = number
        default: fatal("unknown argument \(argument) (usage: CABench [--hosts N] [--repeats N])")
        }
    }
    return options
}

func fatal(_ message: String) -> Never {
    FileHandle.standardError.write(Data("CABench: \(message)\n".utf8))
    exit(2)
}

/// Monotonic nanoseconds straight from the kernel's vDSO.
@inline(__always)
func nanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// CPU seconds (user + system) this process has used: minting is CPU-bound, so this shows
/// whether the wall-clock figure was stretched by other processes on the machine.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func percentile(_ sorted: [UInt64], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
}

/// Host names no earlier run of the issuer has seen: a DNS name per index, and every fifth an
/// IPv4 literal (the leaf then carries an iPAddress SAN instead of a dNSName).
func hostName(_ index: Int) -> String {
    if index % 5 == 4 { return "10.\((index >> 16) & 255).\((index >> 8) & 255).\(index & 255)" }
    return "host-\(index).tracker-\(index % 97).bench.example"
}

struct Figures {
    var newMsMean = 0.0
    var newMsP50 = 0.0
    var newMsP99 = 0.0
    var newCPUMsMean = 0.0
    var cachedMsMean = 0.0
    var cachedMsP99 = 0.0

    var json: String {
        func f(_ value: Double) -> String { String(format: "%.4f", value) }
        return """
            {"new_ms_mean": \(f(newMsMean)), "new_ms_p50": \(f(newMsP50)), "new_ms_p99": \(f(newMsP99)), \
            "new_cpu_ms_mean": \(f(newCPUMsMean)), "cached_ms_mean": \(f(cachedMsMean)), \
            "cached_ms_p99": \(f(cachedMsP99))}
            """
    }
}

func measure(policy: LeafCertificateIssuer.KeyPolicy, authority: CertificateAuthority, options: Options) -> Figures {
    let issuer: LeafCertificateIssuer
    do {
        // Room for every host, so the second pass is all cache hits.
        let configuration = LeafCertificateIssuer.Configuration(cacheCapacity: options.hosts, keyPolicy: policy)
        issuer = try LeafCertificateIssuer(authority: authority, configuration: configuration)
    } catch {
        fatal("cannot make the issuer: \(error)")
    }
    // Warm-up on names outside the measured range (first-use costs: code paging, allocators).
    for index in 0..<20 { _ = try? issuer.certificate(for: "warm-up-\(index).bench.invalid") }

    var newTimes: [UInt64] = []
    newTimes.reserveCapacity(options.hosts)
    var serials = Set<[UInt8]>()
    let cpuBefore = cpuSeconds()
    for index in 0..<options.hosts {
        let host = hostName(index)
        let start = nanoseconds()
        let leaf: IssuedLeaf
        do {
            leaf = try issuer.certificate(for: host)
        } catch {
            fatal("minting \(host) failed: \(error)")
        }
        newTimes.append(nanoseconds() - start)
        // A leaf that does not name its host, or a reused serial, means no real mint took place.
        guard leaf.host == host, !leaf.certificateDER.isEmpty else { fatal("wrong leaf for \(host): \(leaf)") }
        serials.insert(Array(leaf.certificate.serialNumber.bytes))
    }
    let cpuNew = cpuSeconds() - cpuBefore
    guard serials.count == options.hosts else { fatal("\(options.hosts - serials.count) serial number(s) repeated") }

    var cachedTimes: [UInt64] = []
    cachedTimes.reserveCapacity(options.hosts * options.repeats)
    for _ in 0..<options.repeats {
        for index in 0..<options.hosts {
            let host = hostName(index)
            let start = nanoseconds()
            guard let leaf = try? issuer.certificate(for: host), leaf.host == host else { fatal("lookup of \(host)") }
            cachedTimes.append(nanoseconds() - start)
        }
    }
    guard issuer.cachedHostCount == options.hosts else { fatal("cache holds \(issuer.cachedHostCount) hosts") }

    newTimes.sort()
    cachedTimes.sort()
    let ms = 1e-6
    var figures = Figures()
    figures.newMsMean = Double(newTimes.reduce(0, +)) / Double(newTimes.count) * ms
    figures.newMsP50 = percentile(newTimes, 0.50) * ms
    figures.newMsP99 = percentile(newTimes, 0.99) * ms
    figures.newCPUMsMean = cpuNew * 1000 / Double(options.hosts)
    figures.cachedMsMean = Double(cachedTimes.reduce(0, +)) / Double(cachedTimes.count) * ms
    figures.cachedMsP99 = percentile(cachedTimes, 0.99) * ms
    return figures
}

let options = parseArguments()
let authority: CertificateAuthority
do {
    authority = try CertificateAuthority.generate(hostName: "cabench")
} catch {
    fatal("cannot make a CA: \(error)")
}
let shared = measure(policy: .shared, authority: authority, options: options)
let perHost = measure(policy: .perHost, authority: authority, options: options)
print(
    #"{"hosts": \#(options.hosts), "repeats": \#(options.repeats), "shared": \#(shared.json), "per_host": \#(perHost.json)}"#
)
