#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCore

/// The file entries of a zip archive, read from its central directory (zip64 included).
///
/// Only what reading logs needs: names, compression method, where the data is. Entries are
/// inflated on demand, one at a time, so an archive of big logs keeps memory flat.
public struct ZipArchive: Sendable {
    /// One file in the archive.
    public struct Entry: Sendable, Hashable {
        public var name: String
        var method: UInt16
        var compressedSize: Int64
        var localHeaderOffset: Int64
    }

    public let path: String
    public let entries: [Entry]

    public init(path: String) throws(InputError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else { throw InputError(path: path, reason: FileChunkReader.describe(errno: errno)) }
        let size = Int64(info.st_size)
        let tailLength = Int(min(size, 65_557))
        let tail = try RangeChunkReader.bytes(of: path, at: size - Int64(tailLength), count: tailLength)
        guard let end = Self.lastIndex(of: [0x50, 0x4b, 0x05, 0x06], in: tail), end + 22 <= tail.count else {
            throw InputError(path: path, reason: "zip archive has no central directory (cut short?)")
        }
        var count = Int64(Self.uint16(tail, end + 10))
        var directorySize = Int64(Self.uint32(tail, end + 12))
        var directoryOffset = Int64(Self.uint32(tail, end + 16))
        if directoryOffset == 0xFFFF_FFFF || count == 0xFFFF, end >= 20, tail[end - 20..<end - 16].elementsEqual([0x50, 0x4b, 0x06, 0x07]) {
            guard let record = SafeArithmetic.offset(Self.uint64(tail, end - 20 + 8)), record < size else {
                throw InputError(path: path, reason: "zip64 end record is out of range")
            }
            let zip64 = try RangeChunkReader.bytes(of: path, at: record, count: 56)
            guard zip64.count == 56, zip64[0..<4].elementsEqual([0x50, 0x4b, 0x06, 0x06]),
                let entries = SafeArithmetic.offset(Self.uint64(zip64, 32)),
                let length = SafeArithmetic.offset(Self.uint64(zip64, 40)),
                let offset = SafeArithmetic.offset(Self.uint64(zip64, 48))
            else {
                throw InputError(path: path, reason: "zip64 end record is damaged")
            }
            count = entries
            directorySize = length
            directoryOffset = offset
        }
        guard directorySize >= 0, directorySize < 64 << 20, directoryOffset >= 0, directoryOffset <= size - directorySize else {
            throw InputError(path: path, reason: "zip central directory is out of range")
        }
        let directory = try RangeChunkReader.bytes(of: path, at: directoryOffset, count: Int(directorySize))
        var entries: [Entry] = []
        var index = 0
        while entries.count < count, index + 46 <= directory.count, directory[index..<index + 4].elementsEqual([0x50, 0x4b, 0x01, 0x02]) {
            let method = Self.uint16(directory, index + 10)
            var compressed = Int64(Self.uint32(directory, index + 20))
            let uncompressed = Int64(Self.uint32(directory, index + 24))
            let nameLength = Int(Self.uint16(directory, index + 28))
            let extraLength = Int(Self.uint16(directory, index + 30))
            let commentLength = Int(Self.uint16(directory, index + 32))
            var localOffset = Int64(Self.uint32(directory, index + 42))
            let nameEnd = index + 46 + nameLength
            guard nameEnd + extraLength <= directory.count else { break }
            let name = String(decoding: directory[(index + 46)..<nameEnd], as: UTF8.self)
            // zip64 extra field: the 64-bit sizes and offset, present only for fields that overflowed.
            var extra = nameEnd
            while extra + 4 <= nameEnd + extraLength {
                let tag = Self.uint16(directory, extra)
                let length = Int(Self.uint16(directory, extra + 2))
                if tag == 0x0001 {
                    var field = extra + 4
                    if uncompressed == 0xFFFF_FFFF { field += 8 }
                    if compressed == 0xFFFF_FFFF, field + 8 <= directory.count {
                        compressed = SafeArithmetic.offset(Self.uint64(directory, field)) ?? -1
                        field += 8
                    }
                    if localOffset == 0xFFFF_FFFF, field + 8 <= directory.count {
                        localOffset = SafeArithmetic.offset(Self.uint64(directory, field)) ?? -1
                    }
                }
                extra += 4 + length
            }
            if !name.hasSuffix("/"), compressed >= 0, localOffset >= 0, localOffset < size {
                entries.append(Entry(name: name, method: method, compressedSize: compressed, localHeaderOffset: localOffset))
            }
            index = nameEnd + extraLength + commentLength
        }
        self.entries = entries
    }

    /// A reader of the entry's uncompressed bytes.
    public func open(_ entry: Entry) throws(InputError) -> ChunkReader {
        let label = "\(path):\(entry.name)"
        let header = try RangeChunkReader.bytes(of: path, at: entry.localHeaderOffset, count: 30)
        guard header.count == 30, header[0..<4].elementsEqual([0x50, 0x4b, 0x03, 0x04]) else {
            throw InputError(path: label, reason: "zip entry header is damaged")
        }
        let dataOffset = entry.localHeaderOffset + 30 + Int64(Self.uint16(header, 26)) + Int64(Self.uint16(header, 28))
        let raw = try RangeChunkReader(path: path, offset: dataOffset, length: entry.compressedSize)
        switch entry.method {
        case 0: return raw
        case 8: return try InflatingChunkReader(source: raw, path: label, framing: .rawDeflate)
        default: throw InputError(path: label, reason: "zip compression method \(entry.method) is not supported (only stored and deflate)")
        }
    }

    private static func lastIndex(of signature: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= signature.count else { return nil }
        for start in stride(from: bytes.count - signature.count, through: 0, by: -1)
        where bytes[start..<start + signature.count].elementsEqual(signature) {
            return start
        }
        return nil
    }

    private static func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(uint16(bytes, at)) | UInt32(uint16(bytes, at + 2)) << 16
    }

    private static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(uint32(bytes, at)) | UInt64(uint32(bytes, at + 4)) << 32
    }
}
