/// The encodings of an input file, told apart by magic bytes rather than by name.
public enum InputEncoding: String, Sendable {
    case plain
    case gzip
    case zip
}

/// Opens a path (or `-`) as a stream of decoded bytes, detecting gzip by its magic bytes.
public enum InputOpener {
    /// Returns a reader of the decoded content and the encoding found.
    public static func open(_ path: String) throws(InputError) -> (reader: ChunkReader, encoding: InputEncoding) {
        let file = try FileChunkReader(path: path)
        var head = [UInt8](repeating: 0, count: 4)
        var filled = 0
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: head.count, alignment: 1)
        defer { scratch.deallocate() }
        while filled < head.count {
            let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled...]))
            if count == 0 { break }
            filled += count
        }
        for index in 0..<filled { head[index] = scratch[index] }
        head.removeLast(head.count - filled)
        let replay = ReplayingChunkReader(source: file, replaying: head)
        if head.count >= 2, head[0] == 0x1f, head[1] == 0x8b {
            return (try GzipChunkReader(source: replay, path: path), .gzip)
        }
        if head.count >= 4, head[0] == 0x50, head[1] == 0x4b, head[2] == 0x03, head[3] == 0x04 {
            return (replay, .zip)
        }
        return (replay, .plain)
    }
}
