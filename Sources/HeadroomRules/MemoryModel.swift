import HeadroomAnalysis

/// The one memory model every limit Headroom prints comes from.
///
///     need      = server + tests
///     server    = planned -Xmx (else the configured or effective one) + non-heap
///                 (measured RSS − committed heap, else Bazel's measured default),
///                 or the server's measured RSS peak when that is larger
///     tests     = the tests' and actions' measured peak
///     MemoryMax = max(need × 1.15, measured peak of server + tests × 1.15, OOM floor),
///                 rounded up to 64 MiB; MemoryHigh = need, rounded up
///     OOM floor = max(L + 100 MiB, 1.2 × L) for a limit L at which the kernel killed inside the
///                 cgroup or the server died (the VPA recommender's bump), and L itself for a
///                 limit under which Bazel ran out of heap (exit 33)
///
/// 1.15 is the Kubernetes VPA recommender's margin on its target. Every term is a sourced fact,
/// and `basis` says each one, so a limit can always be traced to what was measured.
public struct MemoryModel: Sendable {
    /// `MemoryMax` over the need: the VPA recommender's margin on its target (P90 × 1.15).
    public static let margin = 1.15
    /// Limits round up to this step.
    public static let roundingStep: Int64 = 64 * ByteSize.mib
    /// The VPA recommender's bump after an OOM kill: at least this much more…
    public static let oomBumpBytes: Int64 = 100 * ByteSize.mib
    /// …and at least this factor.
    public static let oomBumpFactor = 1.2

    /// The VPA recommender's bump after an OOM kill, `max(bytes + 100 MiB, 1.2 × bytes)`: the one
    /// formula for the model's OOM floor, `aggregate`'s OOM-killed runs and `verify`'s corrections.
    public static func bumped(_ bytes: Double) -> Double {
        max(bytes + Double(oomBumpBytes), bytes * oomBumpFactor)
    }

    /// The bump of a byte count, rounded up to a whole byte.
    public static func bumped(_ bytes: Int64) -> Int64 {
        Int64(bumped(Double(bytes)).rounded(.up))
    }

    /// The heap the server may grow to: planned, else configured or effective.
    public var heap: Sourced<Int64>
    /// The server beyond its heap; `nonHeapMeasured` says whether it was measured.
    public var nonHeap: Int64
    public var nonHeapMeasured: Bool
    /// The server's measured RSS peak, when sampled.
    public var serverRSSPeak: Sourced<Int64>?
    /// The tests' and actions' measured peak; nil when not measured.
    public var tests: Sourced<Int64>?
    /// The measured peak of server + tests for the same command (the command's own cgroup peak).
    public var measuredPeak: Sourced<Int64>?
    /// The limit below which the evidence says the command does not fit, with why.
    public var oomFloor: (bytes: Int64, basis: String)?

    /// The model of `facts`; nil when no heap size is known.
    public init?(_ facts: Facts) {
        guard let heap = facts.planned.maxHeap ?? facts.heap.max else { return nil }
        self.heap = heap
        let overhead = HeapSizing.nonHeapOverhead(facts)
        nonHeap = overhead.bytes
        nonHeapMeasured = overhead.measured
        serverRSSPeak = facts.server.rssPeak
        tests = facts.cgroup.testsPeak
        measuredPeak = Self.measuredPeak(facts)
        oomFloor = Self.oomFloor(facts)
    }

    /// The server's share: heap + non-heap, or its measured RSS peak when larger.
    public var server: Int64 { max(heap.value + nonHeap, serverRSSPeak?.value ?? 0) }

    /// Server + tests.
    public var need: Int64 { server + (tests?.value ?? 0) }

    /// `MemoryHigh`: the need, rounded up.
    public var memoryHigh: Int64 { ByteSize.roundUp(need, to: Self.roundingStep) }

    /// `MemoryMax` from the need alone (before the measured peak and the OOM floor).
    public var needLimit: Int64 { ByteSize.roundUp(Int64(Double(need) * Self.margin), to: Self.roundingStep) }

    /// The smallest limit the evidence allows: the measured peak with its margin, and the OOM floor.
    public var floor: Int64 {
        var floor: Int64 = 0
        if let peak = measuredPeak { floor = max(floor, ByteSize.roundUp(Int64(Double(peak.value) * Self.margin), to: Self.roundingStep)) }
        if let oom = oomFloor { floor = max(floor, ByteSize.roundUp(oom.bytes, to: Self.roundingStep)) }
        return floor
    }

    /// `MemoryMax`: the larger of the need's limit and the floor.
    public var memoryMax: Int64 { max(needLimit, floor) }

    /// The formula with its figures, for every output that shows the limit.
    public var basis: String {
        var server = "heap \(Formatting.bytes(heap.value)) + non-heap \(Formatting.bytes(nonHeap))\(nonHeapMeasured ? "" : " (not measured: Bazel's default)")"
        if let rss = serverRSSPeak, rss.value > heap.value + nonHeap {
            server = "measured RSS peak \(Formatting.bytes(rss.value)), above \(server)"
        }
        let testsText = tests.map { "tests \(Formatting.bytes($0.value)) (measured)" } ?? "tests not measured"
        var text = "need = server \(Formatting.bytes(self.server)) (\(server)) + \(testsText) = \(Formatting.bytes(need)); "
            + "MemoryMax = max(need × \(HeapSizing.format(Self.margin))"
        if let peak = measuredPeak { text += ", measured peak \(Formatting.bytes(peak.value)) × \(HeapSizing.format(Self.margin))" }
        if let oom = oomFloor { text += ", OOM floor \(Formatting.bytes(oom.bytes)) (\(oom.basis))" }
        return text + ") = \(Formatting.bytes(memoryMax)), rounded up to 64 MiB"
    }

    /// The peak of server + tests of the command itself: its own cgroup's peak (page cache
    /// included, as the kernel counted it against the limit), else the process tree's peak (server
    /// and its descendants in one sample), else the server's RSS peak plus the tests' peak (an
    /// upper bound of their sum at one moment). A cgroup shared with other processes is not the
    /// command's peak.
    static func measuredPeak(_ facts: Facts) -> Sourced<Int64>? {
        if facts.cgroup.ownedByCommand?.value == true, let peak = facts.cgroup.peak { return peak }
        if let tree = facts.cgroup.treePeak { return tree }
        guard let rss = facts.server.rssPeak else { return nil }
        guard let tests = facts.cgroup.testsPeak else { return rss }
        return Sourced(rss.value + tests.value, source: "\(rss.source) + \(tests.source)")
    }

    /// The limit the evidence says is too small, bumped as the VPA recommender bumps after a kill.
    static func oomFloor(_ facts: Facts) -> (bytes: Int64, basis: String)? {
        var best: (bytes: Int64, basis: String)?
        func consider(_ bytes: Int64, _ basis: String) {
            if bytes > (best?.bytes ?? 0) { best = (bytes, basis) }
        }
        for kill in facts.oomKills where kill.constraint == .memcg {
            guard let limit = kill.limitBytes ?? facts.cgroup.limit?.value, limit > 0 else { continue }
            consider(bumped(limit), "the kernel killed \(kill.victim ?? "a process") at the limit \(Formatting.bytes(limit)): max(+100 MiB, ×1.2)")
        }
        if let limit = facts.cgroup.limit?.value, limit > 0 {
            if (facts.cgroup.oomKills?.value ?? 0) > 0 {
                consider(bumped(limit), "\(facts.cgroup.oomKills!.value) OOM kills in the cgroup at its limit \(Formatting.bytes(limit)): max(+100 MiB, ×1.2)")
            }
            if facts.server.died?.value == true {
                consider(bumped(limit), "the server died under the limit \(Formatting.bytes(limit)): max(+100 MiB, ×1.2)")
            }
            if facts.bazel.outOfMemoryExit?.value == true {
                consider(limit, "Bazel ran out of memory (exit 33) under the limit \(Formatting.bytes(limit))")
            }
        }
        return best
    }
}
