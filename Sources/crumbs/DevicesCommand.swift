import ArgumentParser
import CrumbsModel
import CrumbsStore
import Foundation

/// `crumbs devices`: the clients in the store, and the names people give them.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the devices (clients) Crumbs recorded; name them; forget one.",
        subcommands: [List.self, Name.self, Forget.self],
        defaultSubcommand: List.self
    )

    /// Opens the store of an existing data directory.
    static func openStore(_ global: GlobalOptions) throws -> (EventStore, String, ConfigFile) {
        let config = try global.loadConfig()
        let dataDirectory = try global.resolvedDataDirectory(config: config)
        return (try global.existingStore(dataDirectory: dataDirectory), dataDirectory, config)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Each device: name, first and last seen, requests, sites, decryption.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "JSON instead of a table.")
        var json = false

        func run() throws {
            try CLIError.reporting {
                let (store, _, _) = try DevicesCommand.openStore(global)
                let devices: [DeviceSummary]
                do { devices = try store.devices() } catch { throw CLIError("\(error)") }
                print(json ? DevicesTable.json(devices) : DevicesTable.text(devices))
            }
        }
    }

    struct Name: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "name", abstract: "Name a device: crumbs devices name 192.168.1.23 \"Kitchen tablet\".")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The client: its address (or the value `crumbs devices` lists).")
        var client: String

        @Argument(help: "The name (1 to 64 characters).")
        var name: String

        func validate() throws {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.count > 64 || name.contains(where: { $0.isNewline || $0.asciiValue == 0 }) {
                throw ValidationError("a device name has 1 to 64 characters on one line")
            }
        }

        func run() throws {
            try CLIError.reporting {
                let (store, dataDirectory, config) = try DevicesCommand.openStore(global)
                let option = try DeviceOption.parse(["--client", client])
                let stored: String
                do {
                    stored = try option.clients(store: store, dataDirectory: dataDirectory, config: config)!.first!
                } catch {
                    // Naming a device before it shows up is allowed: the address is stored as the
                    // current `clients` level would store it.
                    stored = try DeviceOption.candidates(client, dataDirectory: dataDirectory, config: config)
                        .last!
                    FileHandle.standardError.write(
                        Data("note: no events from \(client) yet; the name applies once it shows up\n".utf8))
                }
                do {
                    try store.nameDevice(client: stored, name: name.trimmingCharacters(in: .whitespaces))
                } catch {
                    throw CLIError("\(error)")
                }
                print("\(client) is now \"\(name.trimmingCharacters(in: .whitespaces))\".")
            }
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forget", abstract: "Forget a device: its events, its name, and their traces on disk.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The device's name (or its client address).")
        var device: String

        @Flag(name: .customLong("dry-run"), help: "Count what would be forgotten; change nothing.")
        var dryRun = false

        @Flag(help: "Do not ask for confirmation.")
        var yes = false

        func run() throws {
            var arguments = ["--device", device]
            if let dataDirectory = global.dataDirectory { arguments += ["--data-dir", dataDirectory] }
            if let config = global.configPath { arguments += ["--config", config] }
            if dryRun { arguments.append("--dry-run") }
            if yes { arguments.append("--yes") }
            let forget = try ForgetCommand.parse(arguments)
            try forget.run()
        }
    }
}

/// `crumbs devices` output.
enum DevicesTable {
    static func text(_ devices: [DeviceSummary]) -> String {
        guard !devices.isEmpty else { return "No devices recorded yet." }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        var rows = [["CLIENT", "NAME", "FIRST SEEN", "LAST SEEN", "REQUESTS", "SITES", "DECRYPTED", "SOURCES"]]
        for device in devices {
            rows.append([
                device.client.isEmpty ? "(none)" : device.client, device.name ?? "-",
                device.requests > 0 ? formatter.string(from: device.firstSeen) : "-",
                device.requests > 0 ? formatter.string(from: device.lastSeen) : "-", "\(device.requests)",
                "\(device.sites)", device.decrypted > 0 ? "yes (\(device.decrypted))" : "no",
                device.sources.map(\.rawValue).joined(separator: ","),
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    static func json(_ devices: [DeviceSummary]) -> String {
        let iso = ISO8601DateFormatter()
        let objects: [[String: Any]] = devices.map { device in
            [
                "client": device.client, "name": device.name as Any, "first_seen": iso.string(from: device.firstSeen),
                "last_seen": iso.string(from: device.lastSeen), "requests": device.requests, "sites": device.sites,
                "decrypted": device.decrypted, "sources": device.sources.map(\.rawValue),
            ]
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
