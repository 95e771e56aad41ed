import HeadroomCore

/// The encodings of an input, told apart by magic bytes rather than by name.
public enum InputEncoding: String, Sendable {
    case plain
    case gzip
    case zip
}

/// Opens an input as a stream of decoded bytes, detecting gzip by its magic bytes.
public enum InputOpener {
    /// A reader of the decoded content of `source`, and the encoding found.
    public static func open(_ source: InputSource) throws(InputError) -> (reader: ChunkReader, encoding: InputEncoding) {
        switch source {
        case .file(let path):
            return try decoding(try FileChunkReader(path: path), name: path)
        case .zipEntry(let entry, let archive):
            let reader = try ZipArchive(path: archive).open(entry)
            return try decoding(reader, name: source.displayName)
        }
    }

    /// Opens a file path (or `-`).
    public static func open(_ path: String) throws(InputError) -> (reader: ChunkReader, encoding: InputEncoding) {
        try open(.file(path))
    }

    /// Sniffs the first bytes of `raw` and wraps it in a gzip decoder when they say gzip.
    static func decoding(_ raw: ChunkReader, name: String) throws(InputError) -> (reader: ChunkReader, encoding: InputEncoding) {
        var head = [UInt8](repeating: 0, count: 4)
        var filled = 0
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: head.count, alignment: 1)
        defer { scratch.deallocate() }
        while filled < head.count {
            let count = try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled...]))
            if count == 0 { break }
            filled += count
        }
        for index in 0..<filled { head[index] = scratch[index] }
        head.removeLast(head.count - filled)
        let replay = ReplayingChunkReader(source: raw, replaying: head)
        if head.count >= 2, head[0] == 0x1f, head[1] == 0x8b {
            return (try InflatingChunkReader(source: replay, path: name), .gzip)
        }
        if head.count >= 4, head[0] == 0x50, head[1] == 0x4b, head[2] == 0x03, head[3] == 0x04 {
            return (replay, .zip)
        }
        return (replay, .plain)
    }
}
