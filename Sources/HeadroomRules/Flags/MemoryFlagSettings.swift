import HeadroomAnalysis

/// The memory-saving and diagnostic Bazel settings several rules recommend, each only when the
/// release may have the flag and it is not already in effect, so every rule names them alike.
package enum MemoryFlagSettings {
    /// `--discard_analysis_cache`: about 10 % less heap during execution, at the cost of
    /// re-analysis on the next command (Bazel's "Optimize Memory" page).
    static func discardAnalysisCache(_ facts: Facts, reason: String) -> BazelSetting? {
        guard facts.flags.discardAnalysisCache?.value != true, FlagSupport(facts).mayHave("discard_analysis_cache") else { return nil }
        return .boolean(.build, "discard_analysis_cache", true, reason: reason)
    }

    /// `--experimental_remote_discard_merkle_trees` (6.1+): drops each remote action's input tree
    /// once uploaded. Nil without remote execution, when set, or where it is already the default (8.0+).
    static func discardMerkleTrees(_ facts: Facts, reason: String) -> BazelSetting? {
        let flag = "experimental_remote_discard_merkle_trees"
        let support = FlagSupport(facts)
        guard facts.remoteExecutor != nil, facts.flags.discardMerkleTrees?.value != true, support.mayHave(flag),
            support.documentedDefault(flag) != "true"
        else { return nil }
        return .boolean(.build, flag, true, reason: reason)
    }

    /// `--experimental_remote_merkle_tree_cache` (5.0–8.x, removed in 9.0): shares input trees
    /// between remote actions instead of building one per action.
    static func merkleTreeCache(_ facts: Facts, reason: String) -> BazelSetting? {
        let flag = "experimental_remote_merkle_tree_cache"
        guard facts.remoteExecutor != nil, facts.flags.merkleTreeCache?.value != true, FlagSupport(facts).mayHave(flag) else { return nil }
        return .boolean(.build, flag, true, reason: reason)
    }

    /// `--heap_dump_on_oom` (5.0+): the one record of what filled the heap when it runs out.
    static func heapDumpOnOOM(_ facts: Facts, reason: String) -> BazelSetting? {
        guard facts.flags.heapDumpOnOOM?.value != true, FlagSupport(facts).mayHave("heap_dump_on_oom") else { return nil }
        return .boolean(.build, "heap_dump_on_oom", true, reason: reason)
    }
}
