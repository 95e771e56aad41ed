import ArgumentParser
import HeadroomKit

/// The evidence options `analyze` and `review` share.
struct EvidenceOptions: ParsableArguments {
    @Argument(help: "Bundles written by record, sample or baseline. None (and no other input): a bundled Corpus case.")
    var bundles: [String] = []

    @Option(name: .customLong("gc-log"), help: "A GC log of the server (repeatable; rotated sets and .gz work).")
    var gcLogs: [String] = []

    @Option(name: .customLong("analysis-gc-log"), help: "A GC log of an analysis-only run (build --nobuild): the analysis baseline.")
    var analysisGCLogs: [String] = []

    @Option(help: "A memory series: sample/record JSON lines, pidstat -r, 'time rss' lines, or a cgroup folder.")
    var samples: [String] = []

    @Option(help: "A kernel log with OOM-kill reports (dmesg, journalctl -k, kern.log).")
    var oom: [String] = []

    @Option(help: "A Bazel JSON trace profile (--profile, command.profile.gz).")
    var profile: [String] = []

    @Option(help: "A .bazelrc file, read with its imports (repeatable, in Bazel's order).")
    var bazelrc: [String] = []

    @Option(help: "The workspace root, for %workspace% in rc imports.")
    var workspace: String?

    @Option(name: .customLong("command"), help: "The Bazel command whose rc options apply.")
    var bazelCommand: String = "build"

    @Option(name: .customLong("config"), help: "A --config of the Bazel command line (repeatable).")
    var configs: [String] = []

    @Option(name: .customLong("bazel-version"), help: "The Bazel release to plan for (e.g. 7.4.1); overrides what the evidence says.")
    var bazelVersion: String?

    @Option(help: "Where the server runs: workstation or ci.")
    var context: Facts.Context?

    /// The inputs, or (unless `bundledCaseWhenEmpty` is false) the bundled case when none was given.
    func inputs(bundledCaseWhenEmpty: Bool = true) throws -> EvidenceInputs {
        var inputs = EvidenceInputs()
        inputs.bundles = bundles
        inputs.gcLogs = gcLogs
        inputs.analysisGCLogs = analysisGCLogs
        inputs.samples = samples
        inputs.oomReports = oom
        inputs.profiles = profile
        inputs.bazelrcFiles = bazelrc
        inputs.workspace = workspace
        inputs.command = bazelCommand
        inputs.configs = configs
        inputs.bazelVersion = bazelVersion
        inputs.context = context
        if inputs.isEmpty && bundledCaseWhenEmpty { inputs.bundles = [try DefaultCase.directory(DefaultCase.bundle)] }
        return inputs
    }
}

extension Facts.Context: ExpressibleByArgument {}
