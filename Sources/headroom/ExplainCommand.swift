import ArgumentParser
import HeadroomKit

/// `headroom explain [RULE]`: the rules' documentation, generated from their descriptions.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a rule (or list them all): what it checks, its thresholds and their sources.",
        discussion: "Exit status: 0 printed; 64 no rule has that identifier."
    )

    @Argument(help: "A rule identifier, e.g. heap.oversized. None: the list of rules.")
    var rule: String?

    @Flag(help: "Print the rule table as Markdown (the README's copy).")
    var markdown = false

    func run() throws {
        guard let rule else {
            print(markdown ? RuleDocumentation.markdownTable() : RuleDocumentation.list(), terminator: "")
            return
        }
        guard let type = RuleRegistry.rule(rule) else {
            StandardError.say("no rule '\(rule)'; rules: \(RuleRegistry.rules.map { $0.description.identifier }.joined(separator: ", "))")
            throw ExitCode(.usage)
        }
        print(RuleDocumentation.explain(type.description), terminator: "")
    }
}
