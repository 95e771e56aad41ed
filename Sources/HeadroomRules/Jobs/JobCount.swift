import HeadroomAnalysis

package extension Facts {
    /// Actions Bazel keeps in flight: `--jobs`, else its default `auto`, one per host CPU.
    var jobs: Sourced<Int>? { flags.jobs ?? host.cpus }
}
