import HeadroomCore

/// Passes bytes through and reports how many have gone by, every `step` bytes: progress for
/// inputs that take a while to read.
public final class ProgressChunkReader: ChunkReader {
    private let source: ChunkReader
    private let step: Int64
    private let report: (Int64) -> Void
    private var bytes: Int64 = 0
    private var nextReport: Int64

    public init(source: ChunkReader, step: Int64 = 256 << 20, report: @escaping (Int64) -> Void) {
        self.source = source
        self.step = max(1, step)
        self.report = report
        nextReport = self.step
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let count = try source.read(into: buffer)
        bytes += Int64(count)
        if bytes >= nextReport {
            report(bytes)
            nextReport = (bytes / step + 1) * step
        }
        return count
    }

    public var warnings: [String] { source.warnings }
    public var isPartial: Bool { source.isPartial }
}
