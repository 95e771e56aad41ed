import Foundation
import Testing
import HeadroomKit

/// `promtool` on PATH, for the Prometheus text format; nil when Debian's `prometheus` is not installed.
private let promtool: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }

/// A Python that has `prometheus_client` (Debian's `python3-prometheus-client`): its OpenMetrics
/// parser is strict (requires `# EOF`, units as name suffixes, no clashing names).
private let openMetricsPython: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first { python in
    guard FileManager.default.isExecutableFile(atPath: python) else { return false }
    let outcome = try? CommandRunner.run([python, "-c", "import prometheus_client.openmetrics.parser"], outputPath: "/dev/null")
    return outcome?.exitStatus == 0
}

/// `--format openmetrics` and `--format prometheus`, checked by real parsers on Corpus cases, and
/// the exposition's own rules checked line by line.
@Suite struct OpenMetricsTests {
    static func path(_ relative: String) -> String { TestSupport.corpus.appendingPathComponent(relative).path }

    /// Corpus cases with different facts known: a recording, an OOM kill, GC logs alone, the plan.
    enum Case: String, CaseIterable, CustomTestStringConvertible {
        case testCgroup = "bazel-test-cgroup"
        case oomKill = "bazel-test-oom-kill"
        case g1Steady = "g1-steady"
        case g1Leak = "g1-leak"
        case fourteenGigabyteStory = "remote-14g-story"

        var testDescription: String { rawValue }

        var inputs: EvidenceInputs {
            var inputs = EvidenceInputs()
            switch self {
            case .testCgroup: inputs.bundles = [path("bazel-test-cgroup")]
            case .oomKill:
                inputs.bundles = [path("bazel-test-oom-kill/bundle")]
                inputs.oomReports = [path("bazel-test-oom-kill/kernel.log")]
            case .g1Steady: inputs.gcLogs = [path("g1-steady/gc.log")]
            case .g1Leak: inputs.gcLogs = [path("g1-leak/gc.log")]
            case .fourteenGigabyteStory:
                inputs.analysisGCLogs = [path("g1-analysis-live-500m/gc.log")]
                inputs.gcLogs = [path("g1-execution-growth-14g/gc.log")]
                inputs.bazelrcFiles = [path("remote-14g-story/team.bazelrc")]
                inputs.bazelVersion = "6.4.0"
            }
            return inputs
        }

        var report: AnalysisReport { AnalysisReport.make(inputs, version: "test") }

        func render(_ dialect: OpenMetricsRenderer.Dialect) -> String {
            OpenMetricsRenderer.render(report, labels: MetricLabels.from(inputs), dialect: dialect)
        }
    }

    /// What an exposition declares and samples, read line by line.
    struct Exposition {
        var types: [String: [String]] = [:]
        var helps: [String: Int] = [:]
        var units: [String: String] = [:]
        var samples: [(name: String, line: String)] = []

        init(_ text: String) {
            for line in text.split(separator: "\n").map(String.init) {
                let words = line.split(separator: " ", maxSplits: 3).map(String.init)
                if line.hasPrefix("# TYPE ") { types[words[2], default: []].append(words[3]) }
                else if line.hasPrefix("# HELP ") { helps[words[2], default: 0] += 1 }
                else if line.hasPrefix("# UNIT ") { units[words[2]] = words[3] }
                else if !line.hasPrefix("#") { samples.append((String(line.prefix { $0 != "{" && $0 != " " }), line)) }
            }
        }

        func value(of name: String, containing text: String = "") -> String? {
            samples.first { $0.name == name && (text.isEmpty || $0.line.contains(text)) }.map { String($0.line.split(separator: " ").last!) }
        }
    }

    /// Runs a checker on `text` saved to a file; its exit status and what it printed.
    static func check(_ text: String, _ words: (String) -> [String]) throws -> (status: Int32?, output: String) {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("headroom.prom").path
        let output = directory.appendingPathComponent("out").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(words(file), outputPath: output, timeoutSeconds: 60)
        return (outcome.exitStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    /// `promtool check metrics` reads standard input only: the file goes in by a redirect, its
    /// path as an argument of the shell, never inside the script.
    static func promtoolCheck(_ text: String) throws -> (status: Int32?, output: String) {
        try check(text) { ["/bin/sh", "-c", "exec \"$0\" check metrics < \"$1\"", promtool!, $0] }
    }

    static func openMetricsParse(_ text: String) throws -> (status: Int32?, output: String) {
        let script = """
            import json, sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for sample in family.samples:
                    print(sample.name, json.dumps(sample.labels.get("workspace", "")), sep="\\t")
            """
        return try check(text) { [openMetricsPython!, "-c", script, $0] }
    }

    @Test(.enabled(if: promtool != nil, "promtool is not installed (Debian package prometheus)"), arguments: Case.allCases)
    func promtoolAcceptsThePrometheusTextFormat(_ corpusCase: Case) throws {
        let result = try Self.promtoolCheck(corpusCase.render(.prometheus))
        #expect(result.status == 0, "\(result.output)")
    }

    /// promtool 2.42 reads the Prometheus text format, where `# UNIT` and `# EOF` are comments but
    /// `info` is an unknown type: the reason the Prometheus dialect exists.
    @Test(.enabled(if: promtool != nil, "promtool is not installed (Debian package prometheus)"))
    func promtoolRejectsTheInfoTypeOnly() throws {
        let text = Case.testCgroup.render(.openMetrics)
        let withoutInfo = text.replacingOccurrences(of: "# TYPE headroom_finding info", with: "# TYPE headroom_finding_info gauge")
            .replacingOccurrences(of: "# HELP headroom_finding ", with: "# HELP headroom_finding_info ")
        #expect(try Self.promtoolCheck(withoutInfo).status == 0)
        let result = try Self.promtoolCheck(text)
        #expect(result.status != 0)
        #expect(result.output.contains("unknown metric type \"info\""), "\(result.output)")
    }

    @Test(.enabled(if: openMetricsPython != nil, "python3-prometheus-client is not installed"), arguments: Case.allCases)
    func anOpenMetricsParserAcceptsTheOpenMetricsFormat(_ corpusCase: Case) throws {
        let text = corpusCase.render(.openMetrics)
        let result = try Self.openMetricsParse(text)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.split(separator: "\n").count == Exposition(text).samples.count)
    }

    @Test(arguments: Case.allCases, OpenMetricsRenderer.Dialect.allCases)
    func namesTypesHelpsAndUnits(_ corpusCase: Case, _ dialect: OpenMetricsRenderer.Dialect) throws {
        let text = corpusCase.render(dialect)
        let exposition = Exposition(text)
        #expect(!exposition.samples.isEmpty)
        let pattern = /^headroom_[a-z0-9_]+$/
        for (name, types) in exposition.types {
            #expect(name.wholeMatch(of: pattern) != nil, "\(name)")
            #expect(types.count == 1, "\(name): \(types)")
            #expect(exposition.helps[name] == 1, "\(name) needs one HELP")
        }
        #expect(Set(exposition.helps.keys) == Set(exposition.types.keys))
        for sample in exposition.samples {
            #expect(sample.name.wholeMatch(of: pattern) != nil, "\(sample.line)")
            let family = exposition.types[sample.name] != nil ? sample.name : String(sample.name.dropLast("_info".count))
            #expect(exposition.types[family] != nil, "no TYPE for \(sample.line)")
        }
        for name in exposition.types.keys {
            if let unit = ["bytes", "seconds", "ratio"].first(where: { name.hasSuffix("_\($0)") }) {
                #expect(dialect == .prometheus || exposition.units[name] == unit, "\(name) needs # UNIT \(unit)")
            }
        }
        switch dialect {
        case .openMetrics:
            #expect(text.hasSuffix("\n# EOF\n"))
            #expect(text.components(separatedBy: "# EOF").count == 2)
        case .prometheus:
            #expect(!text.contains("# EOF") && !text.contains("# UNIT") && !text.contains(" info\n"))
        }
        #expect(text == corpusCase.render(dialect), "same report, same text")
    }

    @Test func labelValuesAreEscaped() throws {
        let labels = MetricLabels(workspace: "my \"ws\"\\path\nline two", host: "builder-1")
        let text = OpenMetricsRenderer.render(Case.g1Steady.report, labels: labels)
        #expect(text.contains(#"{workspace="my \"ws\"\\path\nline two",host="builder-1",context="workstation"}"#))
        #expect(!text.contains("\nline two"), "no raw line feed inside a label value")
        if promtool != nil {
            let result = try Self.promtoolCheck(OpenMetricsRenderer.render(Case.g1Steady.report, labels: labels, dialect: .prometheus))
            #expect(result.status == 0, "\(result.output)")
        }
        if openMetricsPython != nil {
            let result = try Self.openMetricsParse(text)
            #expect(result.status == 0, "\(result.output)")
            let first = try #require(result.output.split(separator: "\n").first?.split(separator: "\t").last)
            let parsed = try JSONDecoder().decode(String.self, from: Data(first.utf8))
            #expect(parsed == labels.workspace, "the parser reads the original value back")
        }
    }

    @Test func labelsComeFromTheBundleAndWorkspace() {
        let fromBundle = MetricLabels.from(Case.testCgroup.inputs)
        #expect(fromBundle == MetricLabels(workspace: "bazel-test-cgroup", host: "recorder"))
        var inputs = Case.testCgroup.inputs
        inputs.workspace = "/home/me/src/monorepo/"
        #expect(MetricLabels.from(inputs).workspace == "monorepo")
        #expect(MetricLabels.from(Case.g1Steady.inputs) == MetricLabels())
    }

    @Test func recommendedHeapIsThePlansTarget() throws {
        let report = Case.fourteenGigabyteStory.report
        let target = try #require(report.plan.heap?.targetBytes)
        let exposition = Exposition(OpenMetricsRenderer.render(report))
        #expect(exposition.value(of: "headroom_recommended_max_heap_bytes") == String(target))
        #expect(exposition.value(of: "headroom_max_heap_configured_bytes") == String(14 << 30))
        #expect(exposition.value(of: "headroom_live_set_after_analysis_bytes") == report.facts.liveSet.analysisPhase.map { String($0.value) })
        let memoryMax = try #require(report.plan.cgroup?.limits.memoryMaxBytes)
        #expect(exposition.value(of: "headroom_recommended_memory_max_bytes") == String(memoryMax))
        #expect(exposition.samples.first { $0.line.contains("bazel_release=\"6.4.0\"") } != nil)
        #expect(exposition.value(of: "headroom_finding_info", containing: "rule=\"heap.oversized\"") == "1")
        let total = Finding.Severity.allCases.compactMap { exposition.value(of: "headroom_findings", containing: "severity=\"\($0.rawValue)\"") }
        #expect(total.compactMap(Int.init).reduce(0, +) == report.findings.count)
    }

    @Test func oomKillsAreCountedByClassification() throws {
        let report = Case.oomKill.report
        let exposition = Exposition(Case.oomKill.render(.openMetrics))
        let tests = report.facts.oomKills.filter { $0.classification == .testOrAction }.count
        #expect(tests >= 1)
        #expect(exposition.value(of: "headroom_oom_kills", containing: "classification=\"test-or-action\"") == String(tests))
        #expect(exposition.value(of: "headroom_oom_kills", containing: "classification=\"bazel-server\"") == "0")
        #expect(exposition.samples.first { $0.line.contains("workspace=\"bundle\",host=\"recorder\"") } != nil)
        // GC logs alone know nothing about kills or cgroups: those families are left out.
        let gcOnly = Exposition(Case.g1Steady.render(.openMetrics))
        #expect(gcOnly.types["headroom_oom_kills"] == nil)
        #expect(gcOnly.types["headroom_cgroup_peak_bytes"] == nil)
        #expect(gcOnly.value(of: "headroom_report_partial") == "0")
    }
}
