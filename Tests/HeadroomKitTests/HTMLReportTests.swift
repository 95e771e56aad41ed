import Foundation
import Testing

import HeadroomKit

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The HTML report: escaping, a golden page, every Corpus case with its charts, and (with
/// Chromium installed) a screenshot of each.
///
/// To regenerate the golden file after an intended change of the markup:
/// `HEADROOM_UPDATE_GOLDEN=1 swift test --filter HTMLReportTests/goldenPage`, then review the diff
/// of `Tests/HeadroomKitTests/Fixtures/html/g1-steady.html`.
@Suite struct HTMLReportTests {
    /// One Corpus case as `headroom analyze` would be given it, and the chart titles it must have.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var inputs: EvidenceInputs
        var titles: [String]
        var oomMarker = false
        var testDescription: String { name }
    }

    static let heapAndPauses = ["Heap before and after GC", "GC pauses"]
    static let samplesCharts = ["Server RSS, committed heap and MemoryMax", "Cgroup usage: server and tests"]

    static let cases: [Case] = {
        func path(_ relative: String) -> String { TestSupport.corpus.appendingPathComponent(relative).path }
        func bundle(_ name: String, _ folder: String, _ titles: [String], oom: String? = nil) -> Case {
            var inputs = EvidenceInputs()
            inputs.bundles = [path(folder)]
            if let oom { inputs.oomReports = [path(oom)] }
            return Case(name: name, inputs: inputs, titles: titles, oomMarker: oom != nil)
        }
        func gcOnly(_ name: String) -> Case {
            var inputs = EvidenceInputs()
            inputs.gcLogs = [path("\(name)/gc.log")]
            return Case(name: name, inputs: inputs, titles: heapAndPauses)
        }
        var story = EvidenceInputs()
        story.analysisGCLogs = [path("g1-analysis-live-500m/gc.log")]
        story.gcLogs = [path("g1-execution-growth-14g/gc.log")]
        story.bazelrcFiles = [path("remote-14g-story/team.bazelrc")]
        story.bazelVersion = "6.4.0"
        return [
            bundle("bazel-test-cgroup", "bazel-test-cgroup", heapAndPauses + samplesCharts),
            bundle(
                "bazel-test-oom-kill", "bazel-test-oom-kill/bundle", heapAndPauses + samplesCharts, oom: "bazel-test-oom-kill/kernel.log"),
            bundle("bazel-server-outside-scope", "bazel-server-outside-scope/bundle", samplesCharts),
            bundle(
                "bazel-analysis-thrashing", "bazel-analysis-thrashing/bundle",
                heapAndPauses.map { "Analysis run: \($0)" } + samplesCharts),
            bundle("bazel-baseline", "bazel-baseline", ["Sweep: wall time by -Xmx", "Sweep: GC time by -Xmx"]),
            gcOnly("g1-steady"), gcOnly("g1-leak"), gcOnly("g1-thrash-oom"), gcOnly("zgc-steady"),
            Case(
                name: "remote-14g-story", inputs: story,
                titles: heapAndPauses.map { "Execution: \($0)" } + heapAndPauses.map { "Analysis run: \($0)" }),
        ]
    }()

    static func html(_ inputs: EvidenceInputs) -> String {
        AnalysisHTMLRenderer.render(AnalysisReport.make(inputs, version: "0.0.0-test", generatedAt: nil))
    }

    // MARK: escaping

    @Test func escapingHelperCoversTheFiveCharacters() {
        #expect(HTMLText.escape(#"<a href="x">Tom & 'Jerry'</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        #expect(HTMLText.escape("bell\u{7} and nul\u{0}") == "bell and nul")
    }

    @Test func scriptFromInputsNeverAppearsUnescaped() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A file name, an unrecognised GC-log line, and a bazelrc value all carry the payload.
        let folder = directory.appendingPathComponent("a&b'c\"<i>")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("gc<b>.log")
        var text = "[0.001s][info][gc] Using G1\n<script>alert(1)</script>\n"
        for index in 0..<5 {
            text += "[\(index + 1).000s][info][gc] GC(\(index)) Pause Young (Normal) (G1 Evacuation Pause) 300M->100M(1024M) 10.000ms\n"
        }
        try Data(text.utf8).write(to: log)
        let rc = folder.appendingPathComponent("team.bazelrc")
        try Data("build --remote_executor=grpc://<script>alert(1)</script>\nstartup --host_jvm_args=-Xmx1g\n".utf8).write(to: rc)
        var inputs = EvidenceInputs()
        inputs.gcLogs = [log.path]
        inputs.bazelrcFiles = [rc.path]
        inputs.bazelVersion = "<script>alert(1)</script>"
        var report = AnalysisReport.make(inputs, version: "0.0.0-test", generatedAt: nil)
        report.facts.notes.append("<script>alert(1)</script>")
        report.problems.append("gc<b>.log: <script>alert(1)</script>")
        let html = AnalysisHTMLRenderer.render(report)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<b>") && !html.contains("<i>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("grpc://&lt;script&gt;"), "the rc value reaches the key facts, escaped")
        #expect(html.contains("gc&lt;b&gt;.log"))
        try Self.checkSVG(html)
    }

    // MARK: golden

    @Test func goldenPage() throws {
        var inputs = EvidenceInputs()
        inputs.gcLogs = [TestSupport.corpus.appendingPathComponent("g1-steady/gc.log").path]
        let html = Self.html(inputs).replacingOccurrences(of: TestSupport.repositoryRoot.path + "/", with: "")
        let golden = TestSupport.repositoryRoot.appendingPathComponent("Tests/HeadroomKitTests/Fixtures/html/g1-steady.html")
        if ProcessInfo.processInfo.environment["HEADROOM_UPDATE_GOLDEN"] == "1" {
            try Data(html.utf8).write(to: golden)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(html == expected, "the page differs from \(golden.lastPathComponent); regenerate as the suite's comment says if intended")
    }

    // MARK: every Corpus case

    @Test(arguments: cases) func corpusCaseRenders(_ testCase: Case) throws {
        let html = Self.html(testCase.inputs)
        let titles = Self.chartTitles(html)
        for title in testCase.titles {
            #expect(titles.contains(title), "\(testCase.name): no chart \"\(title)\" among \(titles)")
        }
        #expect(titles.count == testCase.titles.count, "\(testCase.name): charts \(titles)")
        if testCase.oomMarker { #expect(html.contains("OOM kill (1)"), "\(testCase.name): the kill is marked") }
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=") && !html.contains("url("), "no scripts, no network")
        #expect(html.range(of: "<section id=\"plan\">")!.lowerBound < html.range(of: "<section id=\"charts\">")!.lowerBound)
        try Self.checkSVG(html)
    }

    /// The `<h3>` titles of the charts section.
    static func chartTitles(_ html: String) -> [String] {
        guard let start = html.range(of: "<section id=\"charts\">"), let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex)
        else { return [] }
        let section = html[start.upperBound..<end.lowerBound]
        return section.components(separatedBy: "<h3>").dropFirst().compactMap { $0.components(separatedBy: "</h3>").first }
    }

    /// Balanced `<svg>` elements, each well-formed XML, with finite coordinates.
    static func checkSVG(_ html: String) throws {
        let opens = html.components(separatedBy: "<svg ").count - 1
        let closes = html.components(separatedBy: "</svg>").count - 1
        #expect(opens == closes)
        for lowered in ["nan", "inf\""] {
            #expect(!html.lowercased().contains("=\"\(lowered)") && !html.lowercased().contains(" \(lowered)"), "a coordinate is \(lowered)")
        }
        var rest = html[...]
        while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            let svg = String(rest[start.lowerBound..<end.upperBound])
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "not well-formed SVG: \(parser.parserError.map { "\($0)" } ?? "")")
            for number in svg.matches(of: /\s(?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"/) {
                #expect(Double(number.1) != nil && Double(number.1)!.isFinite, "coordinate \(number.0)")
            }
            rest = rest[end.upperBound...]
        }
    }
}
