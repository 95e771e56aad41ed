/// What a GC log says about the JVM itself: version, collector and heap limits.
public struct JVMHeader: Sendable, Equatable, Codable {
    public var jvmVersion: String?
    public var collector: Collector = .unknown
    public var minHeapBytes: Int64?
    public var initialHeapBytes: Int64?
    public var maxHeapBytes: Int64?
    public var regionSizeBytes: Int64?
    public var cpus: Int?
    public var memoryBytes: Int64?
    public var commandLineFlags: String?

    public init() {}

    /// Fills every field this header lacks from `other`.
    package mutating func merge(_ other: JVMHeader) {
        jvmVersion = jvmVersion ?? other.jvmVersion
        collector = collector.refined(by: other.collector)
        minHeapBytes = minHeapBytes ?? other.minHeapBytes
        initialHeapBytes = initialHeapBytes ?? other.initialHeapBytes
        maxHeapBytes = maxHeapBytes ?? other.maxHeapBytes
        regionSizeBytes = regionSizeBytes ?? other.regionSizeBytes
        cpus = cpus ?? other.cpus
        memoryBytes = memoryBytes ?? other.memoryBytes
        commandLineFlags = commandLineFlags ?? other.commandLineFlags
    }
}
