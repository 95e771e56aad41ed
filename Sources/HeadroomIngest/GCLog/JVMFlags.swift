import HeadroomCore

/// Reads heap size and collector choices out of a JVM command line.
package enum JVMFlags {
    /// `-Xmx4g`, `-XX:MaxHeapSize=4294967296`; the last one wins, as in the JVM.
    static func maxHeapBytes(in flags: String) -> Int64? {
        var result: Int64?
        for token in flags.split(separator: " ") {
            let value: Substring
            if token.hasPrefix("-Xmx") { value = token.dropFirst(4) }
            else if token.hasPrefix("-XX:MaxHeapSize=") { value = token.dropFirst(16) }
            else { continue }
            if let parsed = JVMSize.bytes(String(value)) { result = parsed }
        }
        return result
    }

    /// The collector a `-XX:+Use...GC` flag selects.
    static func collector(in flags: String) -> Collector? {
        var result: Collector?
        for token in flags.split(separator: " ") {
            switch token {
            case "-XX:+UseG1GC": result = .g1
            case "-XX:+UseParallelGC", "-XX:+UseParallelOldGC": result = .parallel
            case "-XX:+UseSerialGC": result = .serial
            case "-XX:+UseConcMarkSweepGC": result = .cms
            case "-XX:+UseShenandoahGC": result = .shenandoah
            case "-XX:+UseZGC": result = result == .generationalZGC ? .generationalZGC : .zgc
            case "-XX:+ZGenerational": result = .generationalZGC
            default: continue
            }
        }
        return result
    }
}
