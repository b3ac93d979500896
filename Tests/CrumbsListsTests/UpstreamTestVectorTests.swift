import CrumbsLists
import Foundation
import Testing

/// The Public Suffix List project's own test vectors, run against pinned copies of the list.
@Suite struct UpstreamTestVectorTests {
    struct Vector: CustomStringConvertible {
        var line: Int
        /// nil for the file's `null` input (a null pointer in the C API it was written for).
        var input: String?
        var expected: String?
        var description: String { "line \(line): \(input ?? "null") → \(expected ?? "null")" }
    }

    /// `INPUT EXPECTED` per line, `null` for none, `//` comments (some cases are commented out upstream).
    static func vectors() throws -> [Vector] {
        let text = try ReferenceData.text(ReferenceData.testVectors)
        var vectors: [Vector] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("//") { continue }
            let fields = line.split(separator: " ")
            try #require(fields.count == 2, "tests.txt line \(offset + 1) is not `INPUT EXPECTED`: \(line)")
            func value(_ field: Substring) -> String? { field == "null" ? nil : String(field) }
            vectors.append(Vector(line: offset + 1, input: value(fields[0]), expected: value(fields[1])))
        }
        return vectors
    }

    static func check(listAt path: String) throws -> (passed: Int, failed: [String]) {
        let list = try PublicSuffixList(contentsOf: ReferenceData.url(path))
        #expect(list.report.linesSkipped == 0, "\(list.report)")
        var passed = 0
        var failed: [String] = []
        for vector in try vectors() {
            let actual = vector.input.flatMap { list.registrableDomain(of: $0) }
            if actual == vector.expected {
                passed += 1
            } else {
                failed.append("\(vector): got \(actual ?? "null")")
            }
        }
        return (passed, failed)
    }

    @Test func everyVectorPassesWithTheCurrentList() throws {
        let result = try Self.check(listAt: ReferenceData.currentList)
        #expect(result.failed.isEmpty, "\(result.failed.joined(separator: "\n"))")
        // 78 cases in commit e6065d27; fewer would mean the file was cut or misread.
        #expect(result.passed == 78)
    }

    @Test func everyVectorPassesWithTheOlderDebianList() throws {
        let result = try Self.check(listAt: ReferenceData.olderList)
        #expect(result.failed.isEmpty, "\(result.failed.joined(separator: "\n"))")
        #expect(result.passed == 78)
    }

    @Test func currentListLoadsBothSectionsWithoutSkippedLines() throws {
        let list = try PublicSuffixList(contentsOf: ReferenceData.url(ReferenceData.currentList))
        #expect(list.source == .file(path: try ReferenceData.url(ReferenceData.currentList).path))
        #expect(list.report.linesSkipped == 0)
        #expect(list.report.rulesKept == 9_949)
        #expect(list.report.rulesBySection[.icann, default: 0] > 6_000)
        #expect(list.report.rulesBySection[.private, default: 0] > 3_000)
    }
}
