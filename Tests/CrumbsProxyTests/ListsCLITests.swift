import CrumbsTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `crumbs classify` and `crumbs lists`, run as a user would.
    @Suite(.timeLimit(.minutes(2)))
    struct ListsCLITests {
        /// EasyPrivacy from the Debian package scripts/test installs, and the repository's copy of
        /// the Public Suffix List.
        static let easyPrivacy =
            "/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/uBlock0@raymondhill.net/assets/thirdparties/easylist/easyprivacy.txt"
        static let psl = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/Reference/psl/effective_tld_names-2025-10-24.dat").path

        /// Runs the binary with `input` on stdin; returns status and stdout, stderr.
        static func crumbs(_ arguments: [String], input: String = "") throws -> (Int32, String, String) {
            let process = Process()
            Unprivileged.configure(process, executable: CrumbsProcess.binary.path, arguments: arguments)
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_CONFIG_HOME"] = "/nonexistent"
            environment["XDG_DATA_HOME"] = FileManager.default.temporaryDirectory.path + "/crumbs-cli-\(UUID())"
            process.environment = environment
            let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
            let output = stdout.fileHandleForReading.readDataToEndOfFile()
            let errors = stderr.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (
                process.terminationStatus, String(decoding: output, as: UTF8.self),
                String(decoding: errors, as: UTF8.self)
            )
        }

        @Test func classifyReadsJSONLinesAndPlainURLs() throws {
            let input = """
                {"url": "https://www.google-analytics.com/analytics.js", "sourceUrl": "https://www.news.example/a", "type": "script"}
                https://www.news.example/css/site.css
                {"url": "https://static.xx.fbcdn.net/x.css", "sourceUrl": "https://www.facebook.com/", "type": "stylesheet"}
                not a url

                """
            let (status, output, errors) = try Self.crumbs(
                ["classify", "--list", Self.easyPrivacy, "--psl", Self.psl], input: input)
            #expect(status == 0, "\(errors)")
            let lines = output.split(separator: "\n").map {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(lines.count == 4)
            let analytics = try #require(lines[0] ?? nil)
            #expect(analytics["tracker"] as? Bool == true)
            #expect(analytics["thirdParty"] as? Bool == true)
            #expect(analytics["firstParty"] as? String == "news.example")
            #expect(analytics["company"] as? String == "Google")
            #expect((analytics["lists"] as? [String])?.contains("easyprivacy.txt") == true)
            #expect((analytics["rule"] as? String)?.contains("google-analytics") == true)
            #expect(lines[1]?["tracker"] as? Bool == false)
            #expect(lines[2]?["sameOwner"] as? Bool == true && lines[2]?["thirdParty"] as? Bool == false)
            #expect(lines[3]?["error"] != nil)
        }

        @Test func listsShowsEachSourceAndWarnsAboutAMissingOne() throws {
            let (status, output, errors) = try Self.crumbs(
                ["lists", "--list", Self.easyPrivacy, "--list", "/nonexistent/mylist.txt", "--verbose"])
            #expect(status == 0)
            #expect(errors.contains("warning:") && errors.contains("/nonexistent/mylist.txt"))
            #expect(output.contains("easyprivacy.txt  [filter list (adblock)]"))
            #expect(output.contains("crumbs-trackers.tsv"))
            #expect(output.contains("licence: GPL-3+ or CC-BY-SA-3.0+"))
            #expect(output.range(of: #"block \d+"#, options: .regularExpression) != nil)
        }

        @Test func listsAsJSONCarryTheSameFacts() throws {
            let (status, output, errors) = try Self.crumbs(
                ["lists", "--json", "--list", Self.easyPrivacy, "--list", "/nonexistent/mylist.txt"])
            #expect(status == 0, "\(errors)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            let lists = try #require(document["lists"] as? [[String: Any]])
            let easyPrivacy = try #require(lists.first { $0["name"] as? String == "easyprivacy.txt" })
            #expect(easyPrivacy["licence"] as? String == "GPL-3+ or CC-BY-SA-3.0+")
            #expect(((easyPrivacy["counts"] as? [String: Int])?["block"] ?? 0) > 10_000)
            #expect(easyPrivacy["skippedLines"] == nil, "skipped lines only with --verbose")
            #expect(lists.contains { ($0["path"] as? String)?.hasSuffix("crumbs-trackers.tsv") == true })
            #expect((document["warnings"] as? [String])?.contains { $0.contains("/nonexistent/mylist.txt") } == true)
        }

        @Test func aBinaryFileGivenAsAListIsRefusedAndMarksNothing() throws {
            // The crumbs binary itself: about as far from a filter list as a file gets.
            let (status, output, errors) = try Self.crumbs(
                ["classify", "--list", CrumbsProcess.binary.path], input: "https://www.news.example/article\n")
            #expect(status == 0)
            #expect(errors.contains("is not a text file"), "stderr: \(errors)")
            let verdict = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            #expect(verdict?["tracker"] as? Bool == false, "output: \(output)")
        }

        /// Run through a symbolic link from a folder on PATH, by its bare name, as an installed
        /// command is: the curated list is still found (it was looked for beside `argv[0]`).
        @Test func aSymlinkedCrumbsOnPathFindsTheCuratedList() throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-bin-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.createSymbolicLink(
                atPath: folder.appendingPathComponent("crumbs").path, withDestinationPath: CrumbsProcess.binary.path)
            let process = Process()
            Unprivileged.configure(process, executable: "/usr/bin/env", arguments: ["crumbs", "lists"])
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = folder.path + ":/usr/bin:/bin"
            environment["XDG_CONFIG_HOME"] = "/nonexistent"
            environment["XDG_DATA_HOME"] = folder.path + "/data"
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: "/")
            let (stdout, stderr) = (Pipe(), Pipe())
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(errors)")
            #expect(output.contains("crumbs-trackers.tsv"), "\(output)")
            #expect(!errors.contains("curated tracker list"), "\(errors)")
        }

        @Test func reloadWithoutARunningProxyIsOneClearError() throws {
            let (status, _, errors) = try Self.crumbs(["lists", "reload"])
            #expect(status != 0)
            #expect(errors.hasPrefix("crumbs: no running crumbs found"))
        }
    }
}
