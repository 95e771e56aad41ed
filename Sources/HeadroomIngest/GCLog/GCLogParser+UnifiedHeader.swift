import HeadroomCore

/// Unified-logging lines that describe the JVM rather than a collection (`gc,init`, `gc,heap`).
package extension GCLogParser {
    /// Reads a header line; nil when the message is not one.
    mutating func parseUnifiedHeader(_ cursor: ByteCursor, lineNumber: Int) -> LineClass? {
        var cursor = cursor
        if cursor.skip("Using ") {
            let collector: Collector? =
                if cursor.hasPrefix("G1") { .g1 }
                else if cursor.hasPrefix("Parallel") { .parallel }
                else if cursor.hasPrefix("Serial") { .serial }
                else if cursor.hasPrefix("Concurrent Mark Sweep") { .cms }
                else if cursor.hasPrefix("Shenandoah") { .shenandoah }
                else if cursor.hasPrefix("The Z Garbage Collector") { .zgc }
                else { nil }
            guard let collector else { return nil }
            noteJVMStart(at: lineNumber, what: "collector banner")
            header.collector = header.collector.refined(by: collector)
            return .header
        }
        if cursor.skip("Initializing The Z Garbage Collector") {
            noteJVMStart(at: lineNumber, what: "collector banner")
            header.collector = header.collector.refined(by: .zgc)
            return .header
        }
        if cursor.skip("Version: ") {
            let end = cursor.index(ofByte: UInt8(ascii: " ")) ?? cursor.bytes.count
            header.jvmVersion = cursor.string(from: cursor.position, to: end)
            return .header
        }
        if cursor.skip("CPUs: "), let cpus = cursor.parseInteger() {
            header.cpus = Int(cpus)
            return .header
        }
        if cursor.skip("Memory: "), let memory = cursor.parseSize() {
            header.memoryBytes = memory
            return .header
        }
        if cursor.skip("Heap Region Size: ") || cursor.skip("Heap region size: ") {
            header.regionSizeBytes = cursor.parseSize()
            return .header
        }
        if cursor.skip("Heap Min Capacity: ") || cursor.skip("Min Capacity: ") {
            header.minHeapBytes = cursor.parseSize()
            return .header
        }
        if cursor.skip("Heap Initial Capacity: ") || cursor.skip("Initial Capacity: ") {
            header.initialHeapBytes = cursor.parseSize()
            return .header
        }
        if cursor.skip("Heap Max Capacity: ") || cursor.skip("Max Capacity: ") {
            header.maxHeapBytes = cursor.parseSize()
            return .header
        }
        if cursor.skip("Heap address: "), let sizeAt = cursor.index(of: "size: ") {
            // JDK 9-16: "Heap address: 0x..., size: 4096 MB, Compressed Oops mode: ..."
            cursor.position = sizeAt + 6
            if let value = cursor.parseDecimal() {
                cursor.skipSpaces()
                let unit: Double = cursor.hasPrefix("GB") ? 1_073_741_824 : cursor.hasPrefix("KB") ? 1024 : 1_048_576
                header.maxHeapBytes = header.maxHeapBytes ?? SafeArithmetic.bytes(value * unit)
            }
            return .header
        }
        if cursor.skip("Regions: "), let count = cursor.parseInteger() {
            // Shenandoah: "Regions: 2048 x 512K"
            cursor.skipSpaces()
            if cursor.skip("x") {
                cursor.skipSpaces()
                if let size = cursor.parseSize() {
                    header.regionSizeBytes = size
                    header.maxHeapBytes = header.maxHeapBytes ?? SafeArithmetic.bytes(regions: count, plus: 0, of: size)
                }
            }
            return .header
        }
        if cursor.skip("Initialize Shenandoah heap") {
            // "Initialize Shenandoah heap: 128M initial, 8M min, 4G max"
            header.collector = header.collector.refined(by: .shenandoah)
            if let colon = cursor.index(ofByte: UInt8(ascii: ":")) {
                cursor.position = colon + 1
                while !cursor.isAtEnd {
                    cursor.skipSpaces()
                    guard let size = cursor.parseSize() else { break }
                    cursor.skipSpaces()
                    if cursor.skip("initial") { header.initialHeapBytes = size }
                    else if cursor.skip("min") { header.minHeapBytes = size }
                    else if cursor.skip("max") { header.maxHeapBytes = size }
                    _ = cursor.skip(",")
                }
            }
            return .header
        }
        if cursor.skip("JVM Args: ") || cursor.skip("Command Line: ") || cursor.skip("JVM_ARGS: ") {
            let flags = cursor.string(from: cursor.position, to: cursor.bytes.count)
            header.commandLineFlags = flags
            if let max = JVMFlags.maxHeapBytes(in: flags) { header.maxHeapBytes = max }
            if let collector = JVMFlags.collector(in: flags) { header.collector = header.collector.refined(by: collector) }
            return .header
        }
        return nil
    }
}
