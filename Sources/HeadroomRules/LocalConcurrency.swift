import HeadroomAnalysis

/// How many tests and actions Bazel runs at once on this machine, and the same lowered by a
/// quarter: the figures the cgroup, OOM and pressure rules turn into `--jobs`/`--local_test_jobs`.
public enum LocalConcurrency {
    /// A cut keeps this share of the jobs: a quarter fewer is enough to be felt in memory use
    /// while keeping most of the build's parallelism, and a second run can cut again.
    public static let keptFraction = 0.75

    /// `n` lowered by a quarter, never below one job.
    public static func lowered(_ n: Int) -> Int { max(1, Int((Double(n) * keptFraction).rounded(.down))) }

    /// Actions at once: `--jobs`, else the CPU count Bazel's `auto` defaults to. Nil when neither is known.
    public static func actionJobs(_ facts: Facts) -> Sourced<Int>? {
        if let jobs = facts.flags.jobs { return jobs }
        if let cpus = facts.host.cpus { return Sourced(cpus.value, source: "\(cpus.source) (CPU count, the --jobs default)") }
        return nil
    }

    /// Tests at once: `--local_test_jobs`, else the action jobs (tests run as actions).
    public static func testJobs(_ facts: Facts) -> Sourced<Int>? {
        facts.flags.localTestJobs ?? actionJobs(facts)
    }

    /// `--jobs` a quarter lower than now, when the current figure is known.
    public static func cutJobs(_ facts: Facts, because reason: String) -> BazelSetting? {
        guard let jobs = actionJobs(facts) else { return nil }
        return .value(.build, "jobs", "\(lowered(jobs.value))", reason: "\(reason); was \(jobs.value)")
    }

    /// `--local_test_jobs` a quarter lower than the tests that ran at once, when known.
    public static func cutTestJobs(_ facts: Facts, because reason: String) -> BazelSetting? {
        guard let tests = testJobs(facts) else { return nil }
        return .value(.test, "local_test_jobs", "\(lowered(tests.value))", reason: "\(reason); was \(tests.value)")
    }
}
