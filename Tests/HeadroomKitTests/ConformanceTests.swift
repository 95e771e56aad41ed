import Foundation
import Testing
import HeadroomKit

/// Other people's logs (412 files from six public analysers' test suites), read in place.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestSupport.sharedGCCorpus.path), "../shared/gc-corpus is absent"))
struct ConformanceTests {
    struct ManifestRow {
        var file: String
        var format: String
        var collector: String
    }

    static func manifest() throws -> [ManifestRow] {
        let text = try String(contentsOf: TestSupport.sharedGCCorpus.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return ManifestRow(file: fields[0], format: fields[4], collector: fields[5])
        }
    }

    static func expectedPauses() throws -> [String: (pauses: Int, fullGCs: Int?)] {
        let text = try String(contentsOf: TestSupport.sharedGCCorpus.appendingPathComponent("expected.tsv"), encoding: .utf8)
        var result: [String: (Int, Int?)] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            result[fields[0]] = (Int(fields[1])!, Int(fields[2]))
        }
        return result
    }

    static func analyze(_ file: String) throws -> GCLogSummary {
        try GCLogAnalysis.run(paths: [TestSupport.sharedGCCorpus.appendingPathComponent(file).path])
    }

    @Test func everyFileParsesAndUnifiedCoverageIsAtLeast99Percent() throws {
        let rows = try Self.manifest()
        #expect(rows.count >= 400)
        var belowTarget: [String] = []
        var unifiedWithEvents = 0
        for row in rows {
            let summary = try Self.analyze(row.file)
            guard row.format == "unified", summary.pauseCount + summary.concurrentCycles > 0 else { continue }
            unifiedWithEvents += 1
            if summary.coverage.recognizedFraction < 0.99 {
                belowTarget.append("\(row.file): \(summary.coverage.recognizedFraction) \(summary.coverage.unrecognized.prefix(2).map(\.text))")
            }
        }
        #expect(unifiedWithEvents >= 100)
        #expect(belowTarget.isEmpty, "unified files under 99 % coverage:\n\(belowTarget.joined(separator: "\n"))")
    }

    @Test func pauseCountsMatchWherePeerAnalysersAgree() throws {
        let expected = try Self.expectedPauses()
        var misses: [String] = []
        var fullMisses: [String] = []
        for (file, figures) in expected.sorted(by: { $0.key < $1.key }) {
            let summary = try Self.analyze(file)
            if summary.pauseCount != figures.pauses {
                misses.append("\(file): expected \(figures.pauses), got \(summary.pauseCount)")
            }
            if let fullGCs = figures.fullGCs, summary.fullGCCount != fullGCs {
                fullMisses.append("\(file): expected \(fullGCs) full, got \(summary.fullGCCount)")
            }
        }
        let agreement = Double(expected.count - misses.count) / Double(expected.count)
        #expect(agreement >= 0.98, "pause counts agree on \(agreement * 100) %; misses:\n\(misses.joined(separator: "\n"))")
        #expect(fullMisses.count <= expected.count / 50, "full GC count misses:\n\(fullMisses.joined(separator: "\n"))")
    }
}
