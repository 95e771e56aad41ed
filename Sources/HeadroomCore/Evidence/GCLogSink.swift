/// Receives what a GC log parser reads, in log order.
public protocol GCLogSink: AnyObject {
    /// A collection or pause.
    func record(_ event: GCEvent)
    /// A new JVM run (segment) begins: a restart inside a file, or a new file whose clock went back.
    func beginSegment(_ index: Int, at location: SourceLocation, reason: String)
    /// What the log said about the JVM of a segment; sent when the segment is complete.
    func record(header: JVMHeader, forSegment index: Int)
}
