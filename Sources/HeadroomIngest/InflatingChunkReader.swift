import CZlib
import HeadroomCore

/// Inflates deflate data from another reader with zlib: a gzip stream (one or more concatenated
/// members) or the raw deflate data of a zip entry.
///
/// A stream that ends inside a member is reported as truncated: everything decoded before the
/// cut is still handed out, and `isPartial` becomes true. Bytes after the last gzip member that
/// are not another gzip header are ignored with a warning.
public final class InflatingChunkReader: ChunkReader {
    /// The framing around the deflate data.
    public enum Framing: Sendable {
        case gzip
        case rawDeflate
    }

    private let source: ChunkReader
    private let path: String
    private let framing: Framing
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var inputExhausted = false
    private var memberOpen = true
    private var finished = false
    public private(set) var warnings: [String] = []
    public private(set) var isPartial = false
    /// Compressed bytes consumed so far (for progress and error offsets).
    public private(set) var compressedBytesRead: Int64 = 0

    public init(source: ChunkReader, path: String, framing: Framing = .gzip, inputBufferSize: Int = 256 * 1024) throws(InputError) {
        self.source = source
        self.path = path
        self.framing = framing
        input = .allocate(byteCount: inputBufferSize, alignment: 16)
        // 15 window bits; +16 for gzip framing, negative for raw deflate.
        let windowBits: Int32 = framing == .gzip ? 15 + 16 : -15
        let status = inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            throw InputError(path: path, reason: "zlib could not start (status \(status))")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(clamping: buffer.count)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !inputExhausted {
                try refill()
            }
            if stream.avail_in == 0 && inputExhausted {
                if memberOpen {
                    isPartial = true
                    warnings.append("\(framing == .gzip ? "gzip stream" : "compressed entry") is truncated: the data before the cut was read")
                }
                finished = true
                break
            }
            if !memberOpen {
                // Another gzip member may follow; anything else is trailing garbage.
                guard framing == .gzip, stream.next_in[0] == 0x1f else {
                    if framing == .rawDeflate { finished = true; break }
                    warnings.append("ignored \(stream.avail_in)+ bytes after the last gzip member")
                    finished = true
                    break
                }
                inflateReset(&stream)
                memberOpen = true
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                memberOpen = false
            default:
                isPartial = true
                finished = true
                let offset = compressedBytesRead - Int64(stream.avail_in)
                warnings.append("compressed data is corrupt near compressed byte \(offset) (zlib status \(status)); reading stopped there")
                let produced = buffer.count - Int(stream.avail_out)
                return produced
            }
        }
        return buffer.count - Int(stream.avail_out)
    }

    private func refill() throws(InputError) {
        let count = try source.read(into: input)
        if count == 0 {
            inputExhausted = true
            return
        }
        compressedBytesRead += Int64(count)
        stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = UInt32(count)
    }
}
