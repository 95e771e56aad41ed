import HeadroomCore

/// A forward-only source of bytes, read in chunks into a caller's buffer.
public protocol ChunkReader: AnyObject {
    /// Fills up to `buffer.count` bytes; returns 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
    /// Problems met so far that did not stop reading (a truncated gzip member, trailing garbage).
    var warnings: [String] { get }
    /// Whether the bytes handed out are known to be only part of the input.
    var isPartial: Bool { get }
}
