import HeadroomCore

/// Shapes of JDK 8 legacy log lines that are not collections.
package enum LegacyLines {
    /// Where a collection's bracket starts in `line` at or after `start`: `[GC (`, `[GC pause`,
    /// `[Full GC`, `[GC--`, `[GC 12.3: [DefNew`, `[GC[YG occupancy` …, but not `[GC Worker Start`
    /// nor `[GC concurrent-mark-start]`.
    static func eventStart(in line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var cursor = ByteCursor(line, position: start)
        while let bracket = cursor.index(ofByte: UInt8(ascii: "[")) {
            cursor.position = bracket + 1
            if cursor.hasPrefix("Full GC") { return bracket }
            guard cursor.hasPrefix("GC") else { continue }
            var after = cursor
            after.position += 2
            guard let next = after.peek() else { return bracket }
            switch next {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "-"), UInt8(ascii: ","):
                return bracket
            case UInt8(ascii: "A"):
                if after.hasPrefix("AdaptiveSize") { return bracket }
            case UInt8(ascii: " "):
                after.position += 1
                if after.hasPrefix("pause") || after.hasPrefix("remark") || after.hasPrefix("cleanup") || after.hasPrefix("(")
                    || after.hasPrefix("[")
                {
                    return bracket
                }
                if let digit = after.peek(), digit >= 48 && digit <= 57 { return bracket }
            default:
                break
            }
        }
        return nil
    }

    /// Where a JDK 8 Shenandoah phase bracket (`[Pause ...` or `[Concurrent ...`) starts.
    static func shenandoahPhaseStart(in line: UnsafeBufferPointer<UInt8>) -> Int? {
        let cursor = ByteCursor(line)
        guard let bracket = cursor.index(of: "[Pause ") ?? cursor.index(of: "[Concurrent ") else { return nil }
        return bracket
    }

    /// The first lines of a new JVM's log: a collection still open cannot continue past them.
    static func startsNewLog(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let cursor = ByteCursor(line)
        return cursor.hasPrefix("Java HotSpot") || cursor.hasPrefix("OpenJDK ") || cursor.contains("GC log file created")
    }

    /// `-XX:+PrintHeapAtGC` blocks and the exit heap summary; their `[0x...)` ranges do not balance.
    static func isHeapDump(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let cursor = ByteCursor(line)
        if cursor.hasPrefix("{Heap") || cursor.hasPrefix("}") || cursor.hasPrefix("Heap") { return true }
        if cursor.contains("[0x") { return true }
        guard let first = line.first, first == UInt8(ascii: " ") else { return false }
        var trimmed = cursor
        trimmed.skipSpaces()
        for prefix in UntaggedLines.heapDumpPrefixes where trimmed.hasPrefix(prefix) { return true }
        return false
    }

    /// Lines a legacy log carries besides collections: concurrent phases, G1's phase timings,
    /// tenuring tables, safepoint statistics and ergonomics decisions.
    static func isKnownDetail(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let cursor = ByteCursor(line)
        for marker in detailMarkers where cursor.contains(marker) { return true }
        var trimmed = cursor
        trimmed.skipSpaces()
        return trimmed.hasPrefix("[") || trimmed.hasPrefix("- age") || trimmed.hasPrefix(", ")
    }

    static let detailMarkers: [StaticString] = [
        "concurrent-", "CMS-concurrent", "[Times:", "Total time for which application threads were stopped",
        "Application time:", "Desired survivor size", "G1Ergonomics", "AdaptiveSize", "[GC Worker",
        "vmop ", "PSAdaptiveSize", "avg_", "Statistics for BinaryTreeDictionary", "Total Free Space",
        "Max   Chunk Size", "Number of Blocks", "Av.  Block  Size", "Tree      Height", "CMS: abort preclean",
        "Before GC:", "After GC:", "Cancelling", "Trigger", "Adaptive CSet",
    ]
}
