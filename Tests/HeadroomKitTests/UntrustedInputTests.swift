import Foundation
import Testing
@testable import HeadroomKit

/// Every string a bundle, a GC log header, a sample log or a kernel log can carry, filled with
/// hostile text; then every emitter's output is checked the way its reader reads it: the shell
/// parses (`sh -n`) and, run with stub commands, runs exactly what was planned; the `.bazelrc`
/// fragment holds exactly the planned options; the systemd unit passes `systemd-analyze verify`
/// and the metrics `promtool check metrics` and the OpenMetrics parser of `prometheus_client`
/// where those are installed; no line of any text
/// format starts with text from an input.
@Suite struct UntrustedInputTests {
    /// One hostile value, and whether it replaces every string or is appended to it (so that
    /// numbers and releases still parse and the plan has settings and limits to write).
    struct HostileCase: CustomTestStringConvertible, Sendable {
        var name: String
        var value: String
        var appended: Bool
        var testDescription: String { "\(name) (\(appended ? "appended" : "replacing"))" }

        static let values: [(String, String)] = [
            ("here-document end", "\nHEADROOM_EOF\ntouch PWNED\nstartup --host_jvm_args=-javaagent:/tmp/agent.jar\n"),
            ("carriage return and NUL", "\r\u{0}startup --host_jvm_args=-javaagent:/tmp/agent.jar\r\n"),
            ("quotes and backslashes", "'\"\\'\\\"\\\\ \\\nstartup --bazelrc=/tmp/x \\"),
            ("command substitution", "$(touch PWNED) `touch PWNED` ${HOME:?} ; touch PWNED && touch PWNED | touch PWNED"),
            ("workspace variable", "%workspace%/../evil # startup --host_jvm_args=-javaagent:%workspace%/a.jar"),
            ("markup", "<img src=x onerror=alert(1)> **b** [l](javascript:x) | cell | `code` # heading\n# heading"),
            ("terminal escapes", "\u{1B}]0;title\u{7}\u{1B}[2J\u{1B}[31mred\u{9B}31m\u{7F}"),
            ("unicode line breaks", "a\u{2028}touch PWNED\u{2029}b\u{85}c\u{0B}d\u{0C}e"),
            ("metrics lines", "x\"} 1\nheadroom_injected{a=\"b\"} 1\n# EOF\n"),
            ("very long", String(repeating: "Ab1;'\"\n", count: 3000)),
        ]

        static let all: [HostileCase] = values.flatMap { name, value in
            [HostileCase(name: name, value: value, appended: true), HostileCase(name: name, value: value, appended: false)]
        }

        /// Text that would start a line only if an input could start one.
        static let markers = ["touch PWNED", "startup --host_jvm_args=-javaagent", "startup --bazelrc", "headroom_injected", "<img", "# heading"]
    }

    /// Keys whose strings say what a file is or where its parts are: hostile values there only
    /// make the bundle unreadable, which `HostileInputTests` covers.
    static let structuralKeys: Set<String> = ["format", "tool", "path", "kind", "record"]

    /// `value` with every string in it made hostile.
    static func hostile(_ value: Any, _ hostileCase: HostileCase, key: String? = nil) -> Any {
        switch value {
        case let text as String:
            if let key, structuralKeys.contains(key) { return text }
            return hostileCase.appended ? text + hostileCase.value : hostileCase.value
        case let array as [Any]:
            return array.map { hostile($0, hostileCase, key: key) }
        case let object as [String: Any]:
            return Dictionary(uniqueKeysWithValues: object.map { ($0.key, hostile($0.value, hostileCase, key: $0.key)) })
        default:
            return value
        }
    }

    /// The evidence: a Corpus bundle, its GC log header, its samples and a kernel log, all made hostile.
    static func inputs(_ hostileCase: HostileCase, in folder: URL) throws -> EvidenceInputs {
        let bundle = try HostileBundle(in: folder)
        for file in ["bundle.json", "record.json", "bazel-identity.json"] {
            try bundle.edit(file) { object in object = hostile(object, hostileCase) as? [String: Any] ?? object }
        }
        let samples = URL(fileURLWithPath: bundle.path).appendingPathComponent("samples.jsonl")
        let lines = try String(contentsOf: samples, encoding: .utf8).split(separator: "\n").map { line -> String in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
                let data = try? JSONSerialization.data(withJSONObject: hostile(object, hostileCase))
            else { return String(line) }
            return String(decoding: data, as: UTF8.self)
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: samples)
        let gcLog = URL(fileURLWithPath: bundle.path).appendingPathComponent("gc.log")
        let header = try String(contentsOf: gcLog, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.contains("[gc,init]") ? line + hostileCase.value : String(line)
        }
        try Data(header.joined(separator: "\n").utf8).write(to: gcLog)
        let kernel = folder.appendingPathComponent("kernel.log")
        let kernelText = try String(contentsOf: TestSupport.corpus.appendingPathComponent("bazel-test-oom-kill/kernel.log"), encoding: .utf8)
        try Data(kernelText.replacingOccurrences(of: "python3", with: "py" + hostileCase.value).utf8).write(to: kernel)
        var inputs = EvidenceInputs()
        inputs.bundles = [bundle.path]
        inputs.oomReports = [kernel.path]
        return inputs
    }

    /// The commands a snippet may run: `bazel shutdown`, then the command in the planned scope
    /// (the systemd-run form or, without systemd, the plain one).
    static func plannedCalls(_ report: AnalysisReport, command: [String], systemdRunWords: [String]) -> (first: [String], last: Set<[String]>) {
        guard let cgroup = report.plan.cgroup else { return (["bazel", "shutdown"], [command]) }
        let properties = cgroup.limits.systemdProperties.flatMap { ["-p", $0] }
        return (["bazel", "shutdown"], [systemdRunWords + properties + ["--"] + command, command])
    }

    /// The option lines of a `.bazelrc` as Bazel reads them: continued lines joined, comments
    /// and blank lines gone.
    static func optionLines(_ text: String) throws -> [[String]] {
        try BazelrcTokenizer.logicalLines(text).map { try BazelrcTokenizer.words($0.text) }.filter { !$0.isEmpty }
    }

    static func plannedOptionLines(_ report: AnalysisReport) -> [[String]] {
        report.plan.allSettings.map { [$0.setting.scope.rawValue, $0.setting.argument] }
    }

    @Test(arguments: HostileCase.all)
    func everyEmitterKeepsInputsAsData(_ hostileCase: HostileCase) throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = try Self.inputs(hostileCase, in: folder)
        let report = AnalysisReport.make(inputs)
        let command = ["bazel", "build", "//..."]

        // .bazelrc: exactly the planned options.
        let fragment = BazelrcFragmentRenderer.render(report)
        #expect(try Self.optionLines(fragment) == Self.plannedOptionLines(report), "\(fragment)")

        // CI snippet: parses, and runs the planned commands and nothing else.
        let ci = CISnippetRenderer.render(report, command: command)
        let ciSyntax = try StubCommands.syntaxCheck(ci)
        #expect(ciSyntax.passed, "\(ciSyntax.message)")
        let ciRun = folder.appendingPathComponent("ci")
        try FileManager.default.createDirectory(at: ciRun, withIntermediateDirectories: true)
        let ciStubs = try StubCommands(in: ciRun)
        #expect(try ciStubs.runShell(ci) == 0)
        let planned = Self.plannedCalls(report, command: command, systemdRunWords: ["systemd-run", "--scope", "--quiet"])
        let ciCalls = ciStubs.calls()
        #expect(ciCalls.count == 2 && ciCalls.first == planned.first && planned.last.contains(ciCalls.last ?? []), "\(ciCalls)")
        let written = try String(contentsOf: ciRun.appendingPathComponent(".bazelrc.memory"), encoding: .utf8)
        #expect(try Self.optionLines(written) == Self.plannedOptionLines(report))
        #expect(!FileManager.default.fileExists(atPath: ciRun.appendingPathComponent("PWNED").path), "input text ran as a command")
        #expect(ci.split(separator: "\n").filter { $0.hasPrefix("HEADROOM_EOF") }.count == 1, "the here-document's terminator only")

        // systemd: the shell lines run the planned commands; the unit verifies.
        let systemd = SystemdRenderer.render(report, command: command)
        let parts = systemd.components(separatedBy: "\n[Unit]\n")
        let shellPart = parts[0] + "\n"
        #expect(try StubCommands.syntaxCheck(shellPart).passed)
        let systemdRun = folder.appendingPathComponent("systemd")
        try FileManager.default.createDirectory(at: systemdRun, withIntermediateDirectories: true)
        let systemdStubs = try StubCommands(in: systemdRun)
        #expect(try systemdStubs.runShell(shellPart) == 0, "\(shellPart)")
        let systemdPlanned = Self.plannedCalls(report, command: command, systemdRunWords: ["systemd-run", "--scope"])
        let systemdCalls = systemdStubs.calls()
        if report.plan.cgroup == nil {
            #expect(systemdCalls.isEmpty, "\(systemdCalls)")
        } else {
            #expect(systemdCalls == [systemdPlanned.first, systemdPlanned.last.first { $0.first == "systemd-run" }!], "\(systemdCalls)")
            #expect(parts.count == 2)
            if parts.count == 2, let analyze = ExecutableSearch.find("systemd-analyze") {
                let result = try Self.check(analyze: analyze, unit: "[Unit]\n" + parts[1], in: folder)
                #expect(result.isEmpty, "systemd-analyze verify: \(result)")
            }
        }

        // Metrics: real parsers accept them; no sample comes from an input.
        let prometheus = OpenMetricsRenderer.render(report, labels: MetricLabels.from(inputs), dialect: .prometheus)
        if ExecutableSearch.find("promtool") != nil {
            let result = try OpenMetricsTests.promtoolCheck(prometheus)
            #expect(result.status == 0, "\(result.output)")
        }
        let labelled = MetricLabels(workspace: hostileCase.value, host: hostileCase.value)
        let openMetrics = OpenMetricsRenderer.render(report, labels: labelled)
        if Self.hasOpenMetricsParser {
            let result = try OpenMetricsTests.openMetricsParse(openMetrics)
            #expect(result.status == 0, "\(result.output)")
        }
        let openMetricsPrometheus = OpenMetricsRenderer.render(report, labels: labelled, dialect: .prometheus)
        if ExecutableSearch.find("promtool") != nil {
            let result = try OpenMetricsTests.promtoolCheck(openMetricsPrometheus)
            #expect(result.status == 0, "\(result.output)")
        }

        // Every line-based format: no line starts with input text; nothing but tab and line
        // feed of the control characters; no markup from inputs in Markdown or HTML.
        let markdown = AnalysisMarkdownRenderer.render(report)
        let html = AnalysisHTMLRenderer.render(report)
        let text = AnalysisTextRenderer.render(report)
        let lineFormats = [
            ("bazelrc", fragment), ("ci", ci), ("systemd", systemd), ("markdown", markdown), ("text", text), ("prometheus", prometheus),
            ("openmetrics", openMetrics), ("openmetrics labels", openMetricsPrometheus),
        ]
        for (format, output) in lineFormats {
            for line in output.split(separator: "\n") {
                // A wrapped paragraph of the terminal report goes on indented: only its items count.
                let start = format == "text" && line.hasPrefix("    ") ? "" : line.drop { $0 == " " || $0 == "\t" || $0 == "|" || $0 == "-" || $0 == ">" }
                #expect(!HostileCase.markers.contains { start.hasPrefix($0) }, "\(format): \(line.prefix(200))")
            }
            #expect(!output.unicodeScalars.contains { VisibleText.isControlOrLineBreak($0) && $0 != "\n" && $0 != "\t" }, "\(format)")
        }
        for (format, output) in [("markdown", markdown), ("html", html)] {
            #expect(!output.contains("<img"), "\(format)")
        }
        let json = try JSONRenderer.render(report)
        #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil)
    }

    /// Whether python3 has `prometheus_client`'s strict OpenMetrics parser (Debian's
    /// `python3-prometheus-client`).
    /// (The same pythons `OpenMetricsTests.openMetricsParse` looks for.)
    static let hasOpenMetricsParser = ["/usr/bin/python3", "/usr/local/bin/python3"].contains { python in
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let outcome = try? CommandRunner.run([python, "-c", "import prometheus_client.openmetrics.parser"], outputPath: "/dev/null")
        return outcome?.exitStatus == 0
    }

    /// `systemd-analyze verify` on the unit saved as `bazel.slice`: what it said (empty when
    /// content; it exits 0 on a bad line, and only says so).
    static func check(analyze: String, unit: String, in folder: URL) throws -> String {
        let unitFolder = folder.appendingPathComponent("unit")
        try FileManager.default.createDirectory(at: unitFolder, withIntermediateDirectories: true)
        let file = unitFolder.appendingPathComponent(SystemdRenderer.sliceName).path
        try Data(unit.utf8).write(to: URL(fileURLWithPath: file))
        let output = unitFolder.appendingPathComponent("out").path
        let outcome = try CommandRunner.run([analyze, "verify", file], outputPath: output, errorPath: output, timeoutSeconds: 30)
        let said = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        return outcome.exitStatus == 0 ? said : "exit \(outcome.exitStatus.map(String.init) ?? "?"): \(said)"
    }

    /// Invalid UTF-8 in each JSON file of a bundle, in its GC log and in a kernel log: the file
    /// is reported, the rest still read, and nothing crashes.
    @Test func invalidUTF8IsReportedNotFatal() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = try HostileBundle(in: folder)
        let invalid = Data([0xFF, 0xFE, 0xC0, 0x0A, 0xED, 0xA0, 0x80])
        for file in ["bazel-identity.json", "gc.log", "samples.jsonl"] {
            let url = URL(fileURLWithPath: bundle.path).appendingPathComponent(file)
            var data = try Data(contentsOf: url)
            data.insert(contentsOf: invalid, at: data.count / 2)
            try data.write(to: url)
        }
        let kernel = folder.appendingPathComponent("kernel.log")
        var kernelData = try Data(contentsOf: TestSupport.corpus.appendingPathComponent("bazel-test-oom-kill/kernel.log"))
        kernelData.insert(contentsOf: invalid, at: kernelData.count / 2)
        try kernelData.write(to: kernel)
        var inputs = EvidenceInputs()
        inputs.bundles = [bundle.path]
        inputs.oomReports = [kernel.path]
        let report = AnalysisReport.make(inputs)
        #expect(!report.facts.inputs.isEmpty)
        let ci = CISnippetRenderer.render(report)
        #expect(try StubCommands.syntaxCheck(ci).passed)
        #expect(try Self.optionLines(BazelrcFragmentRenderer.render(report)) == Self.plannedOptionLines(report))
    }

    /// verify's report quotes a run's output, its command and the bundle's dropped options: in
    /// text each stays on its line, in Markdown no output line can close its code block.
    @Test(arguments: HostileCase.all)
    func verifyReportsKeepOutputAndCommandsAsData(_ hostileCase: HostileCase) throws {
        let hostile = hostileCase.value + "\n```\n<img src=x>\n# heading\n"
        let attempt = VerifyReport.Attempt(
            limits: CgroupLimits(memoryMaxBytes: 1 << 30, basis: hostile), options: [], command: ["bazel", "build", hostile], cgroupPath: "/x",
            cgroupVersion: 2, manager: .direct, applied: [], notApplied: [], bundle: hostile, figures: VerifyReport.Figures(),
            kernel: FreshMemoryCgroup.Readback(), verdict: .inconclusive, reasons: [hostile], outputTail: [hostile, "```", "~~~", hostile])
        let plan = VerifyPlan(
            settings: [BazelSetting(.startup, flag: "host_jvm_args", argument: "--host_jvm_args=-Xmx1g", reason: hostile)],
            limits: CgroupLimits(memoryMaxBytes: 1 << 30, basis: hostile), source: hostile)
        let report = VerifyReport(
            toolVersion: "0", generatedAt: nil, verdict: .inconclusive, reasons: [hostile], original: VerifyReport.Figures(), originalBundle: hostile,
            plan: plan, requestedCommand: [hostile], tolerance: VerifyReport.Tolerance(), attempts: [attempt], notes: [hostile])
        let markdown = VerifyRenderer.markdown(report)
        let (blocks, outside) = Self.codeBlocks(markdown)
        #expect(blocks == 2, "the plan's options and the run's output, each closed")
        for (format, lines, markers) in [
            ("text", VerifyRenderer.text(report).split(separator: "\n").map(String.init), HostileCase.markers),
            ("markdown", outside, HostileCase.markers + ["```", "~~~"]),
        ] {
            for line in lines {
                // A text item ("  - note", "    | output") may begin with its quoted text; a
                // Markdown list item's text is escaped, so none of the markers survives there.
                let start = format == "text" ? line.drop { $0 == " " } : line.drop { $0 == " " || $0 == "|" || $0 == "-" }
                #expect(!markers.contains { start.hasPrefix($0) }, "\(format): \(line.prefix(200))")
                #expect(!line.unicodeScalars.contains { VisibleText.isControlOrLineBreak($0) }, "\(format)")
            }
        }
        #expect(!outside.contains { $0.contains("<img") })
    }

    /// How many fenced code blocks a Markdown text has (nil when one is left open), as CommonMark
    /// reads backtick fences, and its lines outside them.
    static func codeBlocks(_ markdown: String) -> (Int?, [String]) {
        var blocks = 0
        var open: Int?
        var outside: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let fence = line.count >= 3 && line.allSatisfy { $0 == "`" } ? line.count : nil
            if let length = open {
                if let fence, fence >= length { open = nil }
            } else if let fence {
                open = fence
                blocks += 1
            } else {
                outside.append(line)
            }
        }
        return (open == nil ? blocks : nil, outside)
    }
}
