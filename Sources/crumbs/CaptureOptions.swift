import ArgumentParser
import CrumbsCapture
import CrumbsImport
import Foundation

/// How to capture: `crumbs capture` and `crumbs run --capture` share these.
struct CaptureOptions: ParsableArguments {
    @Option(name: .customLong("filter"), help: "A BPF filter for the capture (tcpdump syntax), e.g. \"not port 22\".")
    var filter: String?

    @Option(name: .customLong("snaplen"), help: "Bytes kept of each packet (default 262144; at least 128).")
    var snapshotLength = 262_144

    @Flag(help: "Capture in promiscuous mode (off by default: only this machine's traffic and broadcasts).")
    var promiscuous = false

    @Option(
        name: .customLong("device-by"),
        help: "What tells devices apart: address (the client's IP, default) or mac (its Ethernet address).")
    var deviceBy = "address"

    func validate() throws {
        guard snapshotLength >= 128 && snapshotLength <= 262_144 else {
            throw ValidationError("--snaplen must be between 128 and 262144 (headers must fit)")
        }
        guard CaptureEngine.DeviceIdentity(rawValue: deviceBy) != nil else {
            throw ValidationError("--device-by must be address or mac")
        }
    }

    func settings(interface: String) -> LiveCapture.Settings {
        LiveCapture.Settings(
            interface: interface, filter: filter, snapshotLength: snapshotLength, promiscuous: promiscuous)
    }

    var deviceIdentity: CaptureEngine.DeviceIdentity { CaptureEngine.DeviceIdentity(rawValue: deviceBy) ?? .address }

    /// Opens the capture, or explains how to get the capabilities it needs and exits 2.
    static func open(_ settings: LiveCapture.Settings, command: String) throws -> LiveCapture {
        do {
            return try LiveCapture(settings)
        } catch let error as LiveCaptureError {
            FileHandle.standardError.write(Data("crumbs: \(error.description)\n".utf8))
            if case .permissionDenied = error {
                let binary =
                    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                    ?? CommandLine.arguments[0]
                let arguments = CommandLine.arguments.dropFirst().joined(separator: " ")
                let help = """
                    Live capture needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities. Either give them to \
                    this binary once (then run it as yourself):
                      sudo setcap cap_net_raw,cap_net_admin=eip \(binary)
                    or run this \(command) as root:
                      sudo \(binary) \(arguments)

                    """
                FileHandle.standardError.write(Data(help.utf8))
            }
            throw ExitCode(2)
        }
    }

    /// libpcap's counters and what the engine made of the packets, for the end of a capture.
    static func report(
        interface: String, summary: CaptureSummary, statistics: LiveCapture.Statistics?, written: Int?
    ) -> String {
        var lines = [
            "capture on \(interface): \(summary.packets) packets read, \(summary.events) events"
                + (written.map { ", \($0) written" } ?? ""),
            CaptureReportLines.protocols(summary),
        ]
        if let statistics {
            lines.append(
                "  libpcap: \(statistics.received) received, \(statistics.droppedByKernel) dropped by the kernel, "
                    + "\(statistics.droppedByInterface) dropped by the interface")
        }
        if !summary.cnameRedirections.isEmpty {
            lines.append(
                "  \(summary.cnameRedirections.count) names led by CNAME to another site's; those ending at a "
                    + "tracker are recorded as CNAME cloaking")
        }
        lines += CaptureReportLines.details(summary)
        return lines.joined(separator: "\n")
    }
}
