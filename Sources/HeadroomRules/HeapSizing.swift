import HeadroomAnalysis

/// The heap arithmetic several rules share: how much room a collector needs above the live set,
/// and what the server costs beyond its heap.
public enum HeapSizing {
    /// Heap per byte of live set. "Java Performance" (Hunt & John, 2011, table 7-3) sizes the heap
    /// at 3–4× the old generation's occupancy after a full GC: 3× for the stop-the-world
    /// generational collectors, the upper end (4×) for ZGC and Shenandoah, which collect while
    /// the program allocates and need room for that allocation.
    public static func headroomFactor(_ collector: Collector?) -> Double {
        switch collector {
        case .zgc, .generationalZGC, .shenandoah: return 4
        default: return 3
        }
    }

    /// Headroom's smallest `-Xmx` advice: one command's live set says little about the next
    /// command's, and below this the saving is small next to the risk.
    public static let minimumHeapBytes: Int64 = 512 * ByteSize.mib

    /// Advice rounds to this step, so `-Xmx` values read well (`1536m`, `2g`).
    public static let roundingStep: Int64 = 256 * ByteSize.mib

    /// A measured sweep floor is only trusted with 25 % above it.
    public static let sweepFloorMargin = 1.25

    /// A Bazel server's memory beyond its heap when it was not measured. Measured by Headroom on
    /// Bazel 4.2.3 servers (JDK 17, 2 CPUs): RSS − resident heap from `/proc/PID/smaps` was 138 MiB
    /// at -Xmx2g and 143 MiB at -Xmx4g after building a 200-target workspace, and RSS − committed
    /// heap 121–133 MiB in the Corpus recordings (`bazel test` and `--nobuild` runs). Code cache and
    /// metaspace grow with the build's size, so the default is about 1.8× the largest measured:
    /// 256 MiB. (A general JVM calculator's 640 MiB — Paketo's — sized limits twice what Bazel used.)
    public static let estimatedNonHeapBytes: Int64 = 256 * ByteSize.mib

    /// The live set to size from: the larger of the peak over the command (GC log, a forced full
    /// collection) and the live set after analysis (a baseline, a `--nobuild` recording). Nil
    /// when none was measured.
    public static func liveFigure(_ facts: Facts) -> Sourced<Int64>? {
        [facts.liveSet.peak, facts.liveSet.analysisPhase].compactMap { $0 }.filter { $0.value > 0 }.max { $0.value < $1.value }
    }

    /// The heap the facts support: live set × factor and the sweep floor × 1.25, the larger,
    /// never below `minimumHeapBytes`, rounded up. Nil when neither was measured.
    public static func supportedHeap(_ facts: Facts) -> (bytes: Int64, basis: String)? {
        let live = liveFigure(facts)
        let floor = facts.liveSet.sweepFloor
        guard live != nil || floor != nil else { return nil }
        var target: Int64 = 0
        var basis = ""
        if let live {
            let factor = headroomFactor(facts.heap.collector?.value)
            let which = live.value == facts.liveSet.peak?.value ? "peak live set" : "live set after analysis"
            let atLeast = facts.liveSet.isLowerBound?.value == true ? "at least " : ""
            basis = "\(which) \(atLeast)\(Formatting.bytes(live.value)) × \(format(factor)) (\(facts.heap.collector?.value.rawValue ?? "collector unknown"))"
            target = Int64(Double(live.value) * factor)
        }
        if let floor, Int64(Double(floor.value) * sweepFloorMargin) > target {
            target = Int64(Double(floor.value) * sweepFloorMargin)
            basis = "sweep floor \(Formatting.bytes(floor.value)) × \(format(sweepFloorMargin))"
        }
        if target < minimumHeapBytes {
            target = minimumHeapBytes
            basis += ", raised to Headroom's minimum advice of \(Formatting.bytes(minimumHeapBytes))"
        }
        return (ByteSize.roundUp(target, to: roundingStep), basis)
    }

    /// The server's memory beyond its heap: measured RSS − committed heap, else the estimate.
    public static func nonHeapOverhead(_ facts: Facts) -> (bytes: Int64, measured: Bool) {
        if let measured = facts.server.nonHeapOverhead, measured.value > 0 { return (measured.value, true) }
        return (estimatedNonHeapBytes, false)
    }

    /// Memory a larger heap may use: the cgroup limit (else host RAM), less the server's non-heap
    /// memory and the tests' peak. Nil when neither limit nor RAM is known.
    public static func heapBudget(_ facts: Facts) -> (bytes: Int64, basis: String)? {
        let ceiling: (Int64, String)
        if let limit = facts.cgroup.limit {
            ceiling = (limit.value, "cgroup limit \(Formatting.bytes(limit.value))")
        } else if let memory = facts.host.memory {
            ceiling = (memory.value, "host RAM \(Formatting.bytes(memory.value))")
        } else {
            return nil
        }
        let overhead = nonHeapOverhead(facts)
        let tests = facts.cgroup.testsPeak?.value ?? 0
        let budget = ceiling.0 - overhead.bytes - tests
        let basis = "\(ceiling.1) − non-heap \(Formatting.bytes(overhead.bytes))\(overhead.measured ? "" : " (estimated)")"
            + (tests > 0 ? " − tests \(Formatting.bytes(tests))" : "")
        return (max(budget, 0), basis)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}

import Foundation
