import Foundation
import Testing
import HeadroomKit

/// The forms a plan is said in, made from a real recording in the Corpus.
@Suite struct AnalysisOutputTests {
    static func report() -> AnalysisReport {
        var inputs = EvidenceInputs()
        inputs.bundles = [TestSupport.corpus.appendingPathComponent("bazel-test-cgroup").path]
        return AnalysisReport.make(inputs, version: "test", generatedAt: nil)
    }

    @Test func factsFromARealRecording() throws {
        let facts = Self.report().facts
        // The recording ran `bazel test` of sh_tests allocating 80 MiB each, in one v1 cgroup.
        #expect(facts.server.insideScope?.value == true)
        #expect(facts.heap.collector?.value == .g1)
        #expect(facts.bazel.command?.value == "test")
        let rss = try #require(facts.server.rssPeak).value
        #expect(rss > 100 << 20 && rss < 2 << 30)
        let tests = try #require(facts.cgroup.testsPeak).value
        #expect(tests >= 80 << 20, "one 80 MiB test at least: \(tests)")
        #expect(try #require(facts.cgroup.peak).value >= rss)
        #expect(facts.host.cpus?.value == 2)
        #expect(facts.bazel.supportedFlags != nil, "a release without a number is judged by its own flag list")
        #expect(facts.bazel.outOfMemoryExit?.value == false)
    }

    @Test func everyFragmentLineHasItsReasonAbove() throws {
        let text = BazelrcFragmentRenderer.render(Self.report())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let optionLines = lines.indices.filter { !lines[$0].hasPrefix("#") && !lines[$0].isEmpty }
        #expect(!optionLines.isEmpty)
        for index in optionLines {
            #expect(index > 0 && lines[index - 1].hasPrefix("# ") && lines[index - 1].contains("."), "no reason above \(lines[index])")
            #expect(BazelSetting.Scope.allCases.contains { lines[index].hasPrefix("\($0.rawValue) --") })
        }
        #expect(text.contains("try-import %workspace%/.bazelrc.memory"))
        // The fragment reads back as rc text with the same heap.
        let chain = try BazelrcReader.read(text: text, name: "fragment", workspace: nil)
        let settings = try BazelMemorySettings(chain: chain)
        #expect(settings.maxHeapBytes?.value == Self.report().plan.heap?.targetBytes)
    }

    @Test func systemdStopsTheServerBeforeTheScope() throws {
        let text = SystemdRenderer.render(Self.report(), command: ["bazel", "test", "//a b/..."])
        let shutdown = try #require(text.range(of: "bazel shutdown"))
        let scope = try #require(text.range(of: "systemd-run --scope -p MemoryMax="))
        #expect(shutdown.lowerBound < scope.lowerBound)
        #expect(text.contains("MemorySwapMax=0"))
        #expect(text.contains("'//a b/...'"), "words are quoted for the shell")
        #expect(text.contains("[Slice]"))
    }

    @Test func theCISnippetIsAValidShellScript() throws {
        let text = CISnippetRenderer.render(Self.report())
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("bootstrap.sh")
        try text.write(to: script, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(["sh", "-n", script.path], outputPath: directory.appendingPathComponent("out").path)
        #expect(outcome.exitStatus == 0)
        #expect(text.contains("try-import %workspace%/.bazelrc.memory"))
    }

    @Test func markdownEscapesTextFromInputs() {
        #expect(MarkdownText.escape("a|b <script>x</script> `c` [l](u)") == "a\\|b &lt;script&gt;x&lt;/script&gt; \\`c\\` \\[l\\](u)")
        #expect(MarkdownText.code("a`b") == "``a`b``")
        #expect(MarkdownText.tableCode("a|b") == "`a\\|b`")
        let markdown = AnalysisMarkdownRenderer.render(Self.report())
        #expect(markdown.contains("| fact | value | source |"))
    }

    @Test func theReadmeRuleTableIsCurrent() throws {
        let readme = try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(RuleDocumentation.markdownTable()), "regenerate with: headroom explain --markdown | scripts/update-rule-table.py")
    }
}
