import HeadroomCore

/// Hands out bytes already read from a reader (to sniff its format) before reading on from it.
package final class ReplayingChunkReader: ChunkReader {
    private let source: ChunkReader
    private var pending: [UInt8]
    private var pendingOffset = 0
    package var warnings: [String] { source.warnings }
    package var isPartial: Bool { source.isPartial }

    init(source: ChunkReader, replaying bytes: [UInt8]) {
        self.source = source
        pending = bytes
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if pendingOffset < pending.count {
            let count = min(buffer.count, pending.count - pendingOffset)
            pending.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + pendingOffset, byteCount: count)
            }
            pendingOffset += count
            if pendingOffset == pending.count { pending = [] ; pendingOffset = 0 }
            return count
        }
        return try source.read(into: buffer)
    }
}
