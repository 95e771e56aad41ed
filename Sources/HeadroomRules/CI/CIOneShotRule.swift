import HeadroomAnalysis

/// Flags a CI job that keeps incremental state it will never use, and names the flags that drop it.
public struct CIOneShotRule: Rule {
    public static let description = RuleDescription(
        identifier: "ci.one-shot",
        title: "A one-shot CI build keeps incremental state",
        rationale: """
            A CI job usually runs one command on a fresh server, so the dependency edges Bazel keeps \
            for incremental builds are memory spent for nothing. Bazel's "Optimize Memory" page \
            names `--notrack_incremental_state` (no edges stored) and `--nokeep_state_after_build` \
            (all state dropped after the command) for this trade; where a release lacks them, \
            `--discard_analysis_cache` (less heap during execution). Fires in CI unless both are \
            already off. The cost: a second command on the same server analyses from scratch.
            """,
        triggeringExamples: [
            RuleExample("a CI job with the defaults", expecting: ["--notrack_incremental_state", "--nokeep_state_after_build", "re-analyse"]) {
                $0.context = Sourced(.ci, source: "example")
                $0.bazel.release = "7.1.0"
            },
            RuleExample("incremental state already off: only the state after the build", expecting: ["--nokeep_state_after_build"], rejecting: ["--notrack"]) {
                $0.context = Sourced(.ci, source: "example")
                $0.flags.trackIncrementalState = false
            },
            RuleExample(
                "a binary without either flag: discard the analysis cache", expecting: ["--discard_analysis_cache"], rejecting: ["--notrack", "--nokeep"]
            ) {
                $0.context = Sourced(.ci, source: "example")
                $0.bazel.supportedFlags = Sourced(["discard_analysis_cache", "jobs"], source: "example")
            },
        ],
        nonTriggeringExamples: [
            RuleExample("a workstation keeps its state for the next build") {
                $0.context = Sourced(.workstation, source: "example")
            },
            RuleExample("CI with both already off") {
                $0.context = Sourced(.ci, source: "example")
                $0.flags.trackIncrementalState = false
                $0.flags.keepStateAfterBuild = false
            },
        ])

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard facts.context.value == .ci,
            !(facts.flags.trackIncrementalState?.value == false && facts.flags.keepStateAfterBuild?.value == false)
        else { return [] }
        let support = FlagSupport(facts)
        let reason = "one command per server in CI: incremental state is never used"
        var settings: [BazelSetting] = []
        if support.mayHave("track_incremental_state"), support.mayHave("keep_state_after_build") {
            if facts.flags.trackIncrementalState?.value != false { settings.append(.boolean(.build, "track_incremental_state", false, reason: reason)) }
            if facts.flags.keepStateAfterBuild?.value != false { settings.append(.boolean(.build, "keep_state_after_build", false, reason: reason)) }
        } else if let discard = MemoryFlagSettings.discardAnalysisCache(facts, reason: reason) {
            settings.append(discard)
        }
        guard !settings.isEmpty else { return [] }
        var evidence: [Finding.Evidence] = [.value("context", facts.context)]
        if let track = facts.flags.trackIncrementalState { evidence.append(.value("track_incremental_state", track)) }
        if let keep = facts.flags.keepStateAfterBuild { evidence.append(.value("keep_state_after_build", keep)) }
        return [
            Finding(
                rule: Self.description.identifier, severity: .advice,
                summary: "A CI job keeps incremental state it will not use: set \(settings.map(\.argument).joined(separator: " and ")).",
                detail: "A one-shot CI command never builds incrementally, so the dependency edges and analysis results Bazel keeps for the next "
                    + "command only take heap. Dropping them lowers the server's peak; a second command on the same server must re-analyse from scratch.",
                evidence: evidence, settings: settings)
        ]
    }
}
