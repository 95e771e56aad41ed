#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of input: its bytes (without the line end) and its 1-based number.
public struct Line {
    public var bytes: UnsafeBufferPointer<UInt8>
    public var number: Int
    /// The line was longer than the reader keeps; only its start is in `bytes`.
    public var isTruncated: Bool
}

/// Splits a byte stream into lines with `memchr`, in a fixed buffer, so memory stays flat.
///
/// `\n` ends a line and a `\r` before it is dropped (CRLF files). A line longer than the
/// buffer is handed out cut to the buffer's size, marked truncated, and the rest of it skipped.
public final class LineReader {
    private let source: ChunkReader
    private let buffer: UnsafeMutableRawBufferPointer
    /// Bytes of decoded input read so far.
    public private(set) var bytesRead: Int64 = 0
    public private(set) var linesRead = 0
    public private(set) var truncatedLines = 0

    public init(source: ChunkReader, bufferSize: Int = 1 << 20) {
        self.source = source
        buffer = .allocate(byteCount: max(bufferSize, 64), alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Calls `body` for every line, in order.
    public func forEachLine(_ body: (Line) throws -> Void) throws {
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let capacity = buffer.count
        var start = 0
        var end = 0
        var atEnd = false
        var skippingOverlong = false
        while true {
            // Hand out every complete line in the buffer.
            var scan = start
            while scan < end, let hit = memchr(base + scan, 0x0A, end - scan) {
                let newline = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if skippingOverlong {
                    skippingOverlong = false
                } else {
                    try emit(base: base, from: start, to: newline, truncated: false, body)
                }
                start = newline + 1
                scan = start
            }
            if atEnd {
                if start < end && !skippingOverlong {
                    try emit(base: base, from: start, to: end, truncated: false, body)
                }
                return
            }
            if start > 0 {
                let pending = end - start
                if pending > 0 { memmove(base, base + start, pending) }
                start = 0
                end = pending
            }
            if end == capacity {
                // A line longer than the buffer: keep its start, drop the rest up to the newline.
                if !skippingOverlong {
                    truncatedLines += 1
                    try emit(base: base, from: 0, to: end, truncated: true, body)
                    skippingOverlong = true
                }
                end = 0
            }
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<capacity]))
            if count == 0 {
                atEnd = true
            } else {
                end += count
                bytesRead += Int64(count)
            }
        }
    }

    @inline(__always)
    private func emit(
        base: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int, truncated: Bool,
        _ body: (Line) throws -> Void
    ) throws {
        var stop = end
        if stop > start, base[stop - 1] == 0x0D { stop -= 1 }
        linesRead += 1
        try body(Line(bytes: UnsafeBufferPointer(start: base + start, count: stop - start), number: linesRead, isTruncated: truncated))
    }
}
