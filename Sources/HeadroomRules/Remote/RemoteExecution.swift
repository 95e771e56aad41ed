import HeadroomAnalysis

package extension Facts {
    /// The remote executor in use, nil when none is set or it is set empty (`--remote_executor=`
    /// turns remote execution off again after a `.bazelrc` line set it).
    var remoteExecutor: Sourced<String>? {
        guard let executor = flags.remoteExecutor, !executor.value.isEmpty else { return nil }
        return executor
    }
}
