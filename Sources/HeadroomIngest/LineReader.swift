#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCore

/// One line of input: its bytes (without the line end) and its 1-based number.
public struct Line {
    public var bytes: UnsafeBufferPointer<UInt8>
    public var number: Int
    /// The line was longer than the reader keeps; only its start is in `bytes`.
    public var isTruncated: Bool
}

/// Splits a byte stream into lines with `memchr`, in a bounded buffer, so memory stays flat.
///
/// `\n` ends a line and a `\r` before it is dropped (CRLF files); a lone `\r` ends a line too
/// (old Mac line ends, or files mixing them). The buffer starts small and doubles up to
/// `bufferSize` while a line does not fit; a line longer than that is handed out cut to it,
/// marked truncated, and the rest of it skipped.
public final class LineReader {
    private let source: ChunkReader
    private var buffer: UnsafeMutableRawBufferPointer
    private let maximumBufferSize: Int
    /// Where the buffer starts: enough for every line of a normal log.
    static let initialBufferSize = 64 << 10
    /// Bytes of decoded input read so far.
    public private(set) var bytesRead: Int64 = 0
    public private(set) var linesRead = 0
    public private(set) var truncatedLines = 0

    public init(source: ChunkReader, bufferSize: Int = 1 << 20) {
        self.source = source
        maximumBufferSize = max(bufferSize, 64)
        buffer = .allocate(byteCount: min(maximumBufferSize, Self.initialBufferSize), alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Calls `body` for every line, in order.
    public func forEachLine(_ body: (Line) throws -> Void) throws {
        var base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var capacity = buffer.count
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
            if end == capacity && capacity < maximumBufferSize && !skippingOverlong {
                // A line longer than the buffer so far: make room, up to the maximum.
                let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: min(capacity * 2, maximumBufferSize), alignment: 64)
                larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<end]))
                buffer.deallocate()
                buffer = larger
                base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
                capacity = buffer.count
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
        var pieceStart = start
        while pieceStart < stop, let hit = memchr(base + pieceStart, 0x0D, stop - pieceStart) {
            let carriageReturn = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            linesRead += 1
            try body(Line(bytes: UnsafeBufferPointer(start: base + pieceStart, count: carriageReturn - pieceStart), number: linesRead, isTruncated: false))
            pieceStart = carriageReturn + 1
        }
        linesRead += 1
        try body(Line(bytes: UnsafeBufferPointer(start: base + pieceStart, count: stop - pieceStart), number: linesRead, isTruncated: truncated))
    }
}
