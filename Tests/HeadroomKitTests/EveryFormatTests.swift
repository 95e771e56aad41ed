import Foundation
import Testing
import HeadroomKit

/// Every output format, produced for every Corpus case.
@Suite struct EveryFormatTests {
    /// A Corpus case as `analyze` would be given it.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var inputs: EvidenceInputs
        var description: String { name }
    }

    static func cases() -> [Case] {
        let corpus = TestSupport.corpus
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted()
        var cases: [Case] = []
        for name in names {
            let folder = corpus.appendingPathComponent(name)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            var inputs = EvidenceInputs()
            if files.contains("bundle.json") {
                inputs.bundles = [folder.path]
            } else if files.contains("bundle") {
                inputs.bundles = [folder.appendingPathComponent("bundle").path]
                if files.contains("kernel.log") { inputs.oomReports = [folder.appendingPathComponent("kernel.log").path] }
            } else if files.contains(where: { $0.hasPrefix("gc.log") }) {
                inputs.gcLogs = [folder.path]
            } else if files.contains("team.bazelrc") {
                inputs.analysisGCLogs = [corpus.appendingPathComponent("g1-analysis-live-500m/gc.log").path]
                inputs.gcLogs = [corpus.appendingPathComponent("g1-execution-growth-14g/gc.log").path]
                inputs.bazelrcFiles = [folder.appendingPathComponent("team.bazelrc").path]
                inputs.bazelVersion = "6.4.0"
            } else {
                continue
            }
            cases.append(Case(name: name, inputs: inputs))
        }
        return cases
    }

    @Test func everyCaseIsCovered() {
        #expect(Self.cases().count >= 20, "\(Self.cases().map(\.name))")
    }

    @Test(arguments: cases())
    func everyFormat(_ corpusCase: Case) throws {
        let report = AnalysisReport.make(corpusCase.inputs, version: "test")
        // A server the kernel killed leaves its trace profile cut short: reported, and rightly.
        let serverKilled = (try? TruthCase(folder: TestSupport.corpus.appendingPathComponent(corpusCase.name)))?.truth.killVictims.contains("server") == true
        #expect(report.problems.isEmpty || serverKilled, "\(report.problems)")
        #expect(!report.facts.inputs.isEmpty)
        let context = ReportFormat.Context(labels: MetricLabels.from(corpusCase.inputs))
        let outputs = try ReportFormat.allCases.map { format in (format.rawValue, try format.render(report, context: context)) }
        for (format, text) in outputs {
            #expect(text.count > 100, "\(format) for \(corpusCase.name) is nearly empty")
            #expect(text.firstMatch(of: /\b(nan|NaN|inf|Infinity)\b/) == nil, "\(format) for \(corpusCase.name) shows a non-number")
        }
        let json = try JSONSerialization.jsonObject(with: Data(try JSONRenderer.render(report).utf8)) as? [String: Any]
        #expect(json?["schemaVersion"] as? Int == 1)
        let decoded = try JSONDecoder().decode(AnalysisReport.self, from: Data(try JSONRenderer.render(report).utf8))
        #expect(decoded.plan == report.plan)
    }
}
