import Foundation
import Testing

@testable import CrumbsImport

/// The streaming parser must read the same document whatever the chunk size, and say where a
/// broken one breaks.
struct JSONStreamTests {
    /// Bytes from memory, in chunks of at most `chunk` bytes.
    func entries(_ data: Data, chunk: Int, chunkSize: Int = 1 << 16) throws -> [HAREntry] {
        let stream = JSONStream(source: MemoryByteSource(Array(data), chunk: chunk), name: "t", chunkSize: chunkSize)
        var entries: [HAREntry] = []
        try HARReader(stream: stream).read(beforeEntries: { _ in }, entry: { entries.append($0) })
        return entries
    }

    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func everyChunkSizeReadsTheSameEntries(chunkSize: Int) throws {
        let data = try Data(contentsOf: ImportSupport.fixture("chromium-devtools.har"))
        let reference = try entries(data, chunk: 1 << 16)
        let chunked = try entries(data, chunk: chunkSize, chunkSize: max(chunkSize, 1))
        #expect(chunked.map(\.url) == reference.map(\.url))
        #expect(chunked.map { $0.requestHeaders.map(\.value) } == reference.map { $0.requestHeaders.map(\.value) })
        #expect(chunked.map { $0.responseHeaders.map(\.value) } == reference.map { $0.responseHeaders.map(\.value) })
        #expect(reference.count == 8)
        #expect(reference[1].responseHeaders.last?.value.contains("\n") == true)
    }

    @Test func escapesAndSurrogatePairsAreDecoded() throws {
        let json = #"{"log": {"entries": [{"request": {"url": "https://a.test/\u00e9\ud83d\ude00\"\\\/\t\ud800x"}}]}}"#
        for chunk in [1, 5, 1000] {
            let url = try entries(Data(json.utf8), chunk: chunk, chunkSize: max(chunk, 1)).first?.url
            #expect(url == "https://a.test/é😀\"\\/\t\u{FFFD}x")
        }
    }

    @Test(arguments: [1, 3, 1 << 16])
    func anErrorNamesItsLineAndColumnWhateverTheChunks(chunk: Int) throws {
        let json = "{\n  \"log\": {\n    \"entries\": [\n      {\"time\": tru }\n    ]\n  }\n}\n"
        #expect(throws: ImportError(file: "t", .invalidJSON("invalid literal (expected true)", line: 4, column: 19))) {
            _ = try entries(Data(json.utf8), chunk: chunk, chunkSize: chunk)
        }
    }

    @Test func anUnterminatedStringIsAnError() throws {
        #expect(throws: ImportError.self) { _ = try entries(Data(#"{"log": {"entries": [{"a": "b"#.utf8), chunk: 4) }
    }

    @Test func wrongTypesSkipTheValueNotTheEntry() throws {
        let json =
            #"{"log": {"entries": [{"time": "12.5", "request": {"url": 5}}, {"request": {"url": "https://a.test/"}, "time": {"x": [1, 2]}}]}}"#
        let read = try entries(Data(json.utf8), chunk: 1000)
        #expect(read.count == 2)
        #expect(read[0].time == 12.5 && read[0].problem == "no request URL")
        #expect(read[1].url == "https://a.test/" && read[1].time == nil)
    }
}

struct ISO8601TimeTests {
    @Test(arguments: [
        ("2024-05-01T10:00:00Z", 1_714_557_600.0, false),
        ("2024-05-01T10:00:00.123Z", 1_714_557_600.123, false),
        ("2024-05-01T12:00:00.1234567+02:00", 1_714_557_600.1234567, false),
        ("2024-05-01T05:30:00-0430", 1_714_557_600.0, false),
        ("2024-05-01T10:00:00.000+00:00", 1_714_557_600.0, false),
        ("2024-05-01 10:00:00", 1_714_557_600.0, true),
        ("2024-05-01T10:00:00.5", 1_714_557_600.5, true),
        ("1969-12-31T23:59:59Z", -1.0, false),
    ])
    func readsEveryShapeExportersWrite(text: String, seconds: Double, zoneless: Bool) throws {
        let parsed = try #require(ISO8601Time.parse(text))
        #expect(abs(parsed.date.timeIntervalSince1970 - seconds) < 0.000_001)
        #expect(parsed.zoneless == zoneless)
    }

    @Test(arguments: [
        "yesterday", "2024-13-01T00:00:00Z", "2024-05-01", "2024-05-01T10:00Z", "2024-05-01T10:00:00+5", "",
    ])
    func refusesWhatIsNoTime(text: String) {
        #expect(ISO8601Time.parse(text) == nil)
    }
}
