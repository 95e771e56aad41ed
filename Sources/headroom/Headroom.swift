import ArgumentParser
import HeadroomKit

/// The `headroom` command line: how much memory a Bazel server (or any JVM) really needs.
@main
struct Headroom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "headroom",
        abstract: "Measure how much memory a Bazel server (or any JVM) really needs, and prove it.",
        discussion: "With no arguments, analyses a GC log bundled with Headroom (the Corpus case g1-steady).",
        version: HeadroomVersion.current,
        subcommands: [GCCommand.self, SampleCommand.self, OOMCommand.self, RecordCommand.self, BaselineCommand.self],
        defaultSubcommand: GCCommand.self
    )
}
