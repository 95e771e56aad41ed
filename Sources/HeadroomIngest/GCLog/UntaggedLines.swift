import HeadroomCore

/// Unified-logging lines printed without a tags decoration and without a GC id: init facts, the
/// heap summary printed at exit, safepoint lines. Anything else is reported as unrecognised.
package enum UntaggedLines {
    static func classify(_ cursor: ByteCursor) -> LineClass {
        var cursor = cursor
        cursor.skipSpaces()
        if cursor.isAtEnd { return .blank }
        for prefix in gcDetailPrefixes where cursor.hasPrefix(prefix) { return .detail }
        for prefix in otherSubsystemPrefixes where cursor.hasPrefix(prefix) { return .otherSubsystem }
        return .unrecognized
    }

    /// The heading of the statistics table ZGC and Shenandoah print at exit.
    static func startsStatistics(_ cursor: ByteCursor) -> Bool {
        var cursor = cursor
        cursor.skipSpaces()
        for prefix in statisticsHeadings where cursor.hasPrefix(prefix) { return true }
        return false
    }

    static let statisticsHeadings: [StaticString] = [
        "=== Garbage Collection Statistics", "GC STATISTICS", "All times are wall-clock",
    ]

    /// Lines of the heap summary at exit; shared with the legacy reader, whose heap dumps match.
    static let heapDumpPrefixes: [StaticString] = [
        "Heap", "garbage-first heap", "region size", "Metaspace", "class space", "PSYoungGen", "ParOldGen",
        "PSOldGen", "eden space", "from space", "to space", "object space", "def new generation",
        "tenured generation", "the space", "par new generation", "concurrent mark-sweep generation",
        "concurrent-mark-sweep perm gen", "PSPermGen", "compacting perm gen", "ro space", "rw space",
        "Shenandoah Heap", "ZHeap", "Z Heap", "Reserved region", "- [",
    ]

    static let gcDetailPrefixes: [StaticString] = heapDumpPrefixes + [
        "Collector", "Status", "Cancelling GC", "Trigger", "Free:", "Pacer", "Periodic GC", "Min heap",
        "Heuristics", "Soft Max", "Allocation Stall", "Out Of Memory", "Relocation Stall", "CardTable entry size",
        "Large Page Support", "NUMA Support", "NUMA Nodes", "Compressed Oops", "Pre-touch", "Parallel Workers",
        "Concurrent Workers", "Concurrent Refinement Workers", "Address Space", "Heap Backing", "Medium Page Size",
        "Runtime Workers", "GC Workers", "Uncommit", "Alignments", "Probing address space", "Mode:", "Regions:",
        "Humongous object threshold", "Max TLAB size", "GCLAB", "Reference processing", "Failed to", "Using",
        "Initializ", "Available space on backing filesystem", "Heap Region", "Safepointing mechanism",
        "GC threads", "Shenandoah ", "Humongous object threshold", "Max TLAB size", "Soft Max Heap Size",
    ]

    static let otherSubsystemPrefixes: [StaticString] = [
        "Total time for which application threads were stopped", "Application time:", "Safepoint \"",
        "Entering safepoint region", "Leaving safepoint region", "Narrow klass", "Compressed class space",
        "CDS", "Protected page",
    ]
}
