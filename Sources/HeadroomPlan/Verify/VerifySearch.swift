import HeadroomRules

/// Decides the `MemoryMax` of the next verifying run from the runs made so far, without running
/// anything: in `converge` mode it steps up after each too-tight run until one passes; in `search`
/// mode it then bisects between the largest failing and the smallest passing limit.
///
/// Pure, so that the whole sequence can be driven by a fake runner in tests; `VerifyRunner` runs
/// what it proposes.
public struct VerifySearch: Sendable, Equatable {
    /// What verify looks for.
    public enum Mode: String, Sendable, Codable, Equatable {
        /// The first limit that passes, stepping up from the plan's.
        case converge
        /// The smallest limit that passes, to within the resolution.
        case search
    }

    /// What one run showed, as far as choosing the next limit goes.
    public struct Outcome: Sendable, Equatable {
        /// The run's `MemoryMax`.
        public var limit: Int64
        /// The cgroup's peak charge, as the kernel counted it.
        public var peak: Int64?
        public var verdict: VerifyReport.Verdict
        /// How much the heap grows after this run (Bazel's own OOM, exit 33), which the next
        /// limit must make room for; nil otherwise.
        public var heapGrowth: Int64?

        public init(limit: Int64, peak: Int64?, verdict: VerifyReport.Verdict, heapGrowth: Int64? = nil) {
            self.limit = limit
            self.peak = peak
            self.verdict = verdict
            self.heapGrowth = heapGrowth
        }
    }

    /// Run again at a limit, or stop and say why.
    public enum Decision: Sendable, Equatable {
        /// Run at this `MemoryMax`; `step` says how it was chosen ("corrected", "search").
        case run(Int64, step: Step)
        case stop(String)
    }

    /// How a proposed limit was reached.
    public enum Step: String, Sendable, Codable, Equatable {
        /// The plan's own limits: the first run.
        case plan
        /// Stepped up from a too-tight run (max(+100 MiB, ×1.2)), or capped at the ceiling.
        case corrected
        /// Stepped down from a passing run, or bisected between a failing and a passing one.
        case search
    }

    public var mode: Mode
    /// Runs in all, the plan's included.
    public var maxTries: Int
    /// No limit above this is proposed; nil: no ceiling.
    public var ceiling: Int64?
    /// The search stops when the passing and failing limits are this close, or closer…
    public var minimumResolution: Int64 = 64 * ByteSize.mib
    /// … or this fraction of the smallest passing limit, whichever is larger.
    public var relativeResolution = 0.05

    /// Runs in all when `--max-tries` is not given: a correction rarely needs more than four steps.
    public static let defaultMaxTries = 5
    /// Runs in all for `--search`: halving down and bisecting take a few more.
    public static let defaultSearchTries = 8

    public init(mode: Mode, maxTries: Int? = nil, ceiling: Int64? = nil) {
        self.mode = mode
        self.maxTries = maxTries ?? (mode == .search ? Self.defaultSearchTries : Self.defaultMaxTries)
        self.ceiling = ceiling
    }

    /// The limit of the next run after `outcomes` (the plan's run first), or nil to stop.
    public func next(after outcomes: [Outcome]) -> Int64? {
        if case .run(let limit, _) = decide(after: outcomes) { return limit }
        return nil
    }

    /// What to do after `outcomes` (the plan's run first).
    public func decide(after outcomes: [Outcome]) -> Decision {
        guard let last = outcomes.last else { return .stop("nothing was run") }
        if last.verdict == .inconclusive {
            return .stop("run \(outcomes.count) was inconclusive: nothing is proved either way, so no limit follows from it")
        }
        if mode == .converge, last.verdict == .confirmed {
            return .stop("MemoryMax=\(ByteSize.systemdArgument(last.limit)) passed")
        }
        if outcomes.count >= maxTries { return .stop("--max-tries \(maxTries) reached") }
        guard let smallest = Self.smallestPassing(outcomes) else { return stepUp(outcomes) }
        return stepDown(outcomes, smallest: smallest)
    }

    /// No run passed yet: step up from the largest too-tight one.
    private func stepUp(_ outcomes: [Outcome]) -> Decision {
        guard let base = outcomes.filter({ $0.verdict == .tooTight }).max(by: { $0.limit < $1.limit }) else {
            return .stop("no run was too tight")
        }
        var next = VerifyCorrection.limit(after: base.limit, peak: base.peak, heapGrowth: base.heapGrowth)
        if let ceiling, next > ceiling {
            // The ceiling itself is still worth a run when it is above every limit tried so far.
            guard base.limit < ceiling else {
                return .stop("the next correction, MemoryMax=\(ByteSize.systemdArgument(next)), is above the ceiling \(ByteSize.systemdArgument(ceiling))")
            }
            next = ceiling
        }
        if outcomes.contains(where: { $0.limit == next }) { return .stop("MemoryMax=\(ByteSize.systemdArgument(next)) was tried already") }
        return .run(next, step: .corrected)
    }

    /// A run passed: halve toward the floor, or bisect between the largest failing limit below the
    /// smallest passing one and that passing one, until they are within the resolution.
    private func stepDown(_ outcomes: [Outcome], smallest: Outcome) -> Decision {
        let floor = Self.floor(outcomes) ?? 0
        let failing = Self.largestFailing(outcomes, below: smallest.limit)
        let resolution = resolution(at: smallest.limit)
        if let failing, failing >= floor, smallest.limit - failing <= resolution {
            return .stop(
                "the smallest passing MemoryMax=\(ByteSize.systemdArgument(smallest.limit)) is within \(Formatting.bytes(resolution)) of the largest failing \(ByteSize.systemdArgument(failing))")
        }
        if failing.map({ $0 < floor }) ?? true, smallest.limit - floor <= resolution {
            return .stop(
                "the smallest passing MemoryMax=\(ByteSize.systemdArgument(smallest.limit)) is within \(Formatting.bytes(resolution)) of the highest peak a passing run measured, \(Formatting.bytes(floor))")
        }
        let middle = failing.map { $0 + (smallest.limit - $0) / 2 } ?? smallest.limit / 2
        let next = max(ByteSize.roundUp(middle, to: ByteSize.mib), floor)
        guard next < smallest.limit, !outcomes.contains(where: { $0.limit == next }) else {
            return .stop("no untried MemoryMax is left between the largest failing and the smallest passing limit")
        }
        return .run(next, step: .search)
    }

    /// How close the passing and the failing limit must come: the larger of the minimum and the
    /// relative resolution of `limit`.
    public func resolution(at limit: Int64) -> Int64 {
        max(minimumResolution, Int64((Double(limit) * relativeResolution).rounded(.up)))
    }

    /// The passing run with the smallest limit.
    public static func smallestPassing(_ outcomes: [Outcome]) -> Outcome? {
        outcomes.filter { $0.verdict == .confirmed }.min { $0.limit < $1.limit }
    }

    /// The largest too-tight limit below `limit`.
    public static func largestFailing(_ outcomes: [Outcome], below limit: Int64) -> Int64? {
        outcomes.filter { $0.verdict == .tooTight && $0.limit < limit }.map(\.limit).max()
    }

    /// The highest peak a passing run measured, rounded up to 1 MiB: the search never proposes a
    /// limit below memory a passing run was seen to use.
    public static func floor(_ outcomes: [Outcome]) -> Int64? {
        outcomes.filter { $0.verdict == .confirmed }.compactMap(\.peak).max().map { ByteSize.roundUp($0, to: ByteSize.mib) }
    }

    /// The limit to recommend after a search: the smallest passing limit × the margin the plan
    /// puts on its need (the VPA recommender's 1.15), rounded up to 64 MiB as the plan's limits
    /// are, and never below the limit that passed.
    public static func recommended(smallestPassing limit: Int64) -> Int64 {
        let withMargin = ByteSize.roundUp(Int64((Double(limit) * MemoryModel.margin).rounded(.up)), to: MemoryModel.roundingStep)
        return max(withMargin, limit)
    }

    /// The default ceiling: the share of host RAM the plan lets a limit take (90 %, rounded down
    /// to 1 MiB), which leaves the rest to the kernel, other processes and page cache.
    public static func defaultCeiling(hostMemory: Int64) -> Int64 {
        Int64(Double(hostMemory) * CgroupMemoryMaxRule.usableShareOfRAM) / ByteSize.mib * ByteSize.mib
    }
}
