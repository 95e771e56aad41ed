#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import HeadroomRender

/// Writes Headroom's sample log: a header, one JSON line per sample, an end record.
///
/// Every record goes out with its own write(2), unbuffered, so a run that is killed keeps
/// every sample up to the last one taken.
public final class SampleLogWriter {
    /// Why a record could not be written, naming the output.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public let name: String
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private var isClosed = false
    private let encoder = SampleLogCoding.encoder()

    /// Writes to an open descriptor; `name` is how errors name it.
    public init(fileDescriptor: Int32, name: String, closesDescriptor: Bool = false) {
        descriptor = fileDescriptor
        self.name = name
        self.closesDescriptor = closesDescriptor
    }

    /// Creates `path` (`-` for standard output); an existing file is replaced only with `overwrite`.
    public convenience init(path: String, overwrite: Bool) throws(WriteError) {
        if path == "-" {
            self.init(fileDescriptor: 1, name: "<stdout>")
            return
        }
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "exists; pass --force to replace it" : String(cString: strerror(errno))
            throw WriteError(path: path, reason: reason)
        }
        self.init(fileDescriptor: descriptor, name: path, closesDescriptor: true)
    }

    deinit { close() }

    public func writeHeader(_ header: SampleLogHeader) throws(WriteError) {
        try writeRecord(TaggedRecord(kind: "header", body: header))
    }

    public func write(_ sample: MemorySample) throws(WriteError) {
        try writeRecord(TaggedRecord(kind: "sample", body: sample))
    }

    public func writeEnd(_ end: SampleLogEnd) throws(WriteError) {
        try writeRecord(TaggedRecord(kind: "end", body: end))
    }

    /// Closes the file (not standard output, nor a descriptor the caller owns).
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        if closesDescriptor { _ = systemClose(descriptor) }
    }

    private func writeRecord<Body: Encodable>(_ record: TaggedRecord<Body>) throws(WriteError) {
        guard !isClosed else { throw WriteError(path: name, reason: "already closed") }
        var line: Data
        do {
            line = try encoder.encode(record)
        } catch {
            throw WriteError(path: name, reason: "could not encode a \(record.kind) record: \(error)")
        }
        line.append(0x0A)
        // Data's closure API rethrows untyped errors: carry errno out instead.
        let failure = line.withUnsafeBytes { DescriptorWriting.writeAll($0, to: descriptor) }
        if let failure { throw WriteError(path: name, reason: String(cString: strerror(failure))) }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
private let systemClose = Glibc.close
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
private let systemClose = Darwin.close
#endif
