import CrumbsModel
import CrumbsStore
import Foundation
import Testing

/// `crumbs import` as a user runs it: re-imports, dry runs, compressed files, standard input,
/// broken files, device labels, queries, and the reports' source selection.
@Suite(.timeLimit(.minutes(2)))
struct ImportCommandTests {
    @Test func importingTheSameFileTwiceImportsNothingTheSecondTime() throws {
        let workspace = try ImportWorkspace()
        let file = try workspace.copy(fixture: "chromium-devtools.har")
        try workspace.importFiles([file])
        let second = try workspace.importFiles([file])
        #expect(second.contains("already imported (import #1"), "\(second)")
        #expect(second.contains("nothing imported"))
        #expect(try workspace.events().count == 5)
        let imports = try EventStore(path: workspace.database.path).imports()
        #expect(imports.count == 1)
        let record = try #require(imports.first)
        #expect(record.fileName == "chromium-devtools.har" && record.format == "har")
        #expect(record.exporter == "WebInspector" && record.exporterVersion == "537.36")
        #expect(record.entries == 8 && record.events == 5 && record.skipped == 3 && record.pages == 1)
        #expect(record.size == (try Data(contentsOf: file)).count)
        #expect(try EventStore(path: workspace.database.path).eventCount(importID: record.id) == 5)
    }

    @Test func aDryRunPrintsWhatWouldBeImportedAndWritesNothing() throws {
        let workspace = try ImportWorkspace()
        let run = try workspace.crumbs("import", ["--dry-run", workspace.copy(fixture: "webpagetest.har").path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("would import 3 events from 3 entries, 1 pages"))
        #expect(run.output.contains("sites: 1, third parties: 2, trackers: 2, companies: 2 (Google, Microsoft)"))
        #expect(!FileManager.default.fileExists(atPath: workspace.data.path))
    }

    @Test func gzipAndZipAreReadLikeThePlainFile() throws {
        let workspace = try ImportWorkspace()
        let plain = try Data(contentsOf: ImportSupport.fixture("safari.har"))
        let gzipped = try workspace.file("recording.bin", contents: try Self.gzip(plain))
        let zipped = workspace.directory.appendingPathComponent("recording.zip")
        try Self.run(
            "/usr/bin/python3",
            [
                "-c",
                "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED); "
                    + "z.writestr('folder/', ''); z.write(sys.argv[2], 'folder/safari.har'); z.close()",
                zipped.path, ImportSupport.fixture("safari.har").path,
            ])
        // The gzip file has no .gz name: the format is told from its first bytes.
        let output = try workspace.importFiles([gzipped, zipped])
        #expect(output.components(separatedBy: "imported 2 events from 3 entries").count == 3, "\(output)")
        #expect(try workspace.events().count == 4)
    }

    @Test func aTruncatedGzipIsAnErrorAndImportsNothing() throws {
        let workspace = try ImportWorkspace()
        let whole = try Self.gzip(try Data(contentsOf: ImportSupport.fixture("chromium-devtools.har")))
        let cut = try workspace.file("cut.har.gz", contents: whole.prefix(whole.count / 2))
        let good = try workspace.copy(fixture: "safari.har")
        let run = try workspace.crumbs("import", [cut.path, good.path])
        #expect(run.status == 1)
        #expect(run.error.contains("cut.har.gz: the compressed data ends early"), "\(run.error)")
        // The other file is imported; nothing of the broken one is.
        let store = try EventStore(path: workspace.database.path)
        #expect(try store.imports().map(\.fileName) == ["safari.har"])
        #expect(try store.events().count == 2)
    }

    @Test func invalidJSONNamesFileLineAndColumnAndImportsNothingOfIt() throws {
        let workspace = try ImportWorkspace()
        // The error comes after a good entry: one transaction per file, so that entry goes too.
        var text = String(decoding: try Data(contentsOf: ImportSupport.fixture("safari.har")), as: UTF8.self)
        let marker = "\"_fetchType\": \"Memory Cache\""
        text = text.replacingOccurrences(of: marker, with: "\"_fetchType\": Memory Cache")
        let broken = try workspace.file("broken.har", contents: Data(text.utf8))
        let lines = text.components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.contains("\"_fetchType\": Memory") }) + 1
        let column = try #require(lines[line - 1].range(of: "Memory")).lowerBound.utf16Offset(in: lines[line - 1]) + 1
        let run = try workspace.crumbs("import", [broken.path])
        #expect(run.status == 1)
        #expect(run.error.contains("broken.har:\(line):\(column): invalid JSON"), "\(run.error)")
        #expect(try EventStore(path: workspace.database.path).events().isEmpty)
    }

    @Test(arguments: [
        (#"{"foo": 1}"#, #"not a HAR file: no "log" object"#),
        (#"{"log": {"pages": []}}"#, #"not a HAR file: no "log.entries" array"#),
        ("[1, 2]", "not a HAR file: the document is not a JSON object"),
        ("", "not a HAR file: the file is empty"),
        (#"{"log": {"entries": []}} trailing"#, "unexpected data after the document"),
    ])
    func jsonThatIsNoHARGetsAClearError(text: String, message: String) throws {
        let workspace = try ImportWorkspace()
        let run = try workspace.crumbs("import", [try workspace.file("x.har", contents: Data(text.utf8)).path])
        #expect(run.status == 1)
        #expect(run.error.contains(message), "\(run.error)")
    }

    @Test func aPacketCaptureIsRecognisedByItsMagicBytesNotItsName() throws {
        let workspace = try ImportWorkspace()
        let pcap = Data([0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0] + [UInt8](repeating: 0, count: 16))
        let run = try workspace.crumbs("import", [try workspace.file("capture.har", contents: pcap).path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("imported 0 events from 0 packets (pcap)"), "\(run.output)")
    }

    @Test func entriesWithImpossibleValuesAreSkippedWithTheirIndex() throws {
        let workspace = try ImportWorkspace()
        let output = try workspace.importFiles([workspace.copy(fixture: "hostile.har")])
        #expect(output.contains("imported 2 events from 6 entries"))
        for line in [
            "entry 1: invalid host in URL", "entry 3: no request URL", "entry 4: negative time (-5.0)",
            "entry 5: unreadable startedDateTime",
        ] {
            #expect(output.contains(line), "\(output)")
        }
    }

    @Test func standardInputIsReadAndLabelledWithTheDevice() throws {
        let workspace = try ImportWorkspace()
        let run = try workspace.crumbs(
            "import", ["--device", "Kitchen tablet", "-"],
            input: try Data(contentsOf: ImportSupport.fixture("fiddler.har")))
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.hasPrefix("-: imported 2 events"))
        #expect(try workspace.events().allSatisfy { $0.clientAddress == "Kitchen tablet" })
        #expect(try EventStore(path: workspace.database.path).imports().first?.fileName == "-")
        // Standard input cannot be hashed first: the second import is caught inside its
        // transaction, and rolled back.
        let again = try workspace.crumbs(
            "import", ["-"], input: try Data(contentsOf: ImportSupport.fixture("fiddler.har")))
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.contains("already imported (import #1"), "\(again.output)")
        #expect(try workspace.events().count == 2)
        #expect(try EventStore(path: workspace.database.path).imports().count == 1)
    }

    @Test func queriesAreStrippedUnlessAskedFor() throws {
        let plain = try ImportWorkspace()
        try plain.importFiles([plain.copy(fixture: "firefox.har")])
        #expect(try plain.events().allSatisfy { !($0.path ?? "").contains("?") })
        let kept = try ImportWorkspace()
        try kept.importFiles([kept.copy(fixture: "firefox.har")], ["--keep-query"])
        #expect(try kept.events().contains { $0.path == "/collect?v=1&tid=UA-1&cid=555.666" })
    }

    @Test func reportsSelectEventsBySource() throws {
        let workspace = try ImportWorkspace()
        try workspace.importFiles([workspace.copy(fixture: "mitmproxy.har")])
        let range = ["--since", "2024-05-01", "--until", "2024-05-02", "--format", "text"]
        let har = try workspace.crumbs("digest", range + ["--source", "har"])
        #expect(har.status == 0, "\(har.error)")
        #expect(har.output.contains("(imported HAR recordings only) you visited 2 sites"), "\(har.output)")
        let proxy = try workspace.crumbs("digest", range + ["--source", "proxy"])
        #expect(proxy.output.contains("(traffic through the proxy only) Crumbs recorded no visits"), "\(proxy.output)")
        let graphHAR = try workspace.crumbs("graph", ["--format", "dot", "--source", "har"])
        #expect(graphHAR.output.contains("health-pharmacy.test"))
        let graphProxy = try workspace.crumbs("graph", ["--format", "dot", "--source", "proxy"])
        #expect(!graphProxy.output.contains("health-pharmacy.test"))
        let bad = try workspace.crumbs("digest", ["--source", "pigeon"])
        #expect(bad.status == 64 && bad.error.contains("--source must be one of proxy, har, capture, all"))
    }

    @Test func hostileNamesAreEscapedInEveryReport() throws {
        let workspace = try ImportWorkspace()
        try workspace.importFiles([workspace.copy(fixture: "hostile.har")])
        let range = ["--since", "2024-05-01", "--until", "2024-05-02"]
        var outputs: [String: String] = [:]
        for format in ["html", "markdown", "json", "text"] {
            outputs["digest \(format)"] = try workspace.crumbs("digest", range + ["--format", format]).output
        }
        for format in ["html", "svg", "graphml", "gexf", "json"] {
            outputs["graph \(format)"] = try workspace.crumbs("graph", ["--format", format]).output
        }
        // The hostile cookie name reached the reports (as data), so escaping is what is tested.
        #expect(outputs["digest text"]?.contains("<svg onload") == true)
        for (report, text) in outputs where report.hasPrefix("graph") || report == "digest html" {
            for raw in ["<img src=x", "<svg onload", "<script>alert", "<b>Evil"] {
                #expect(!text.contains(raw), "\(report) carries \(raw) unescaped")
            }
        }
        // Markdown: every "<" is backslash-escaped, so no tag survives a markdown-to-HTML step.
        let markdown = try #require(outputs["digest markdown"])
        #expect(markdown.contains("\\<svg onload"))
        #expect(!markdown.replacingOccurrences(of: "\\<", with: "").contains("<"))
        // JSON carries the name as data, and stays valid JSON.
        let json = try #require(outputs["digest json"])
        #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil)
    }

    static func gzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return result
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ImportTestError("\(executable) failed") }
    }
}
