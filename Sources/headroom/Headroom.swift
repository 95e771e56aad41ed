import ArgumentParser
import HeadroomKit

/// The `headroom` command line: how much memory a Bazel server (or any JVM) really needs.
@main
struct Headroom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "headroom",
        abstract: "Measure how much memory a Bazel server (or any JVM) really needs, and prove it.",
        discussion: "With no arguments, runs analyze on a recording bundled with Headroom (the Corpus case bazel-test-cgroup).",
        version: HeadroomVersion.current,
        subcommands: [
            AnalyzeCommand.self, AggregateCommand.self, ReviewCommand.self, VerifyCommand.self, ExplainCommand.self, GCCommand.self, SampleCommand.self,
            OOMCommand.self, RecordCommand.self, BaselineCommand.self, ExecInCgroupCommand.self,
        ],
        defaultSubcommand: AnalyzeCommand.self
    )
}
