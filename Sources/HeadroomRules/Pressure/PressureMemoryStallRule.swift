import HeadroomAnalysis

/// Flags a build that spent a measurable share of its time with every task stalled on memory,
/// and runs fewer jobs.
public struct PressureMemoryStallRule: Rule {
    public static let description = RuleDescription(
        identifier: "pressure.memory-stall",
        title: "The build waited on memory",
        rationale: """
            PSI's `full` stall time is time in which every non-idle task of the cgroup (or host) was \
            stalled on memory at once: reclaim, refaults, swap-in. senpai, which tunes `memory.high` \
            from PSI, keeps even `some` stall near 10 ms per 6 s (≈ 0.17 %); `full` stall at or above \
            1 % of the run is far past that and means the build spent real time waiting on memory. \
            Fewer jobs at once use less memory: `--jobs` and `--local_test_jobs` a quarter lower \
            (`--jobs` defaults to the CPU count), then measure again.
            """,
        triggeringExamples: [
            RuleExample("4 % full stall, 16 jobs and 8 tests", expecting: ["4.00 %", "--jobs=12", "--local_test_jobs=6"]) {
                $0.cgroup.fullStallFraction = 0.04
                $0.flags.jobs = 16
                $0.flags.localTestJobs = 8
            },
            RuleExample("exactly 1 %, jobs from the CPU count", expecting: ["1.00 %", "--jobs=6"], rejecting: ["local_test_jobs"]) {
                $0.cgroup.fullStallFraction = 0.01
                $0.host.cpus = 8
            },
            RuleExample("nothing known about concurrency", expecting: ["12.0 %", "a quarter"]) {
                $0.cgroup.fullStallFraction = 0.12
            },
        ],
        nonTriggeringExamples: [
            RuleExample("0.5 % full stall") {
                $0.cgroup.fullStallFraction = 0.005
                $0.flags.jobs = 16
            },
            RuleExample("high some stall but no full stall") {
                $0.cgroup.someStallFraction = 0.2
                $0.cgroup.fullStallFraction = 0.0
            },
            RuleExample("no pressure figures") {
                $0.flags.jobs = 16
            },
        ])

    /// Share of the run with every task stalled on memory at which the build is waiting on memory.
    static let fullStallThreshold = 0.01

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard let full = facts.cgroup.fullStallFraction, full.value >= Self.fullStallThreshold else { return [] }
        var evidence: [Finding.Evidence] = [.percent("full memory stall", full)]
        if let some = facts.cgroup.someStallFraction { evidence.append(.percent("some memory stall", some)) }
        if let jobs = LocalConcurrency.actionJobs(facts) { evidence.append(.value("jobs", jobs)) }
        if let tests = facts.flags.localTestJobs { evidence.append(.value("local test jobs", tests)) }

        let reason = "\(Formatting.percent(full.value)) of the run stalled on memory"
        var settings = [LocalConcurrency.cutJobs(facts, because: reason)].compactMap { $0 }
        if facts.flags.localTestJobs != nil, let tests = LocalConcurrency.cutTestJobs(facts, because: reason) { settings.append(tests) }
        let change = settings.isEmpty ? "run a quarter fewer jobs (--jobs, --local_test_jobs)" : settings.map(\.argument).joined(separator: " ")
        return [
            Finding(
                rule: Self.description.identifier, severity: .warning,
                summary: "Every task was stalled on memory for \(Formatting.percent(full.value)) of the run; \(change), and measure again.",
                detail: "PSI full stall is time in which no task made progress because all were waiting on memory (reclaim, refaults, swap-in). "
                    + "senpai keeps even partial (`some`) stall near 0.17 %; full stall at or above \(Formatting.percent(Self.fullStallThreshold)) means the build waited on memory. "
                    + "Fewer jobs at once need less memory: a quarter fewer, then record again to see whether the stall is gone.",
                evidence: evidence, settings: settings)
        ]
    }
}
