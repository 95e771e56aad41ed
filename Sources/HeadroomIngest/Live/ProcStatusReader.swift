import HeadroomCore

/// One process's `/proc/PID/status`: its memory and its parent.
public struct ProcessStatus: Sendable, Equatable {
    public var memory: ProcessMemory
    /// `PPid`: 0 for the first process of a pid namespace; nil when the line is missing.
    public var parentPID: Int?
    /// `State: Z (zombie)` or `X (dead)`: the process has exited and only waits to be reaped by
    /// its parent; it has no memory left to sample.
    public var hasExited: Bool

    public init(memory: ProcessMemory, parentPID: Int?, hasExited: Bool = false) {
        self.memory = memory
        self.parentPID = parentPID
        self.hasExited = hasExited
    }
}

/// Reads `/proc/PID/status` into `ProcessMemory` (kB figures become bytes), with the parent pid.
public struct ProcStatusReader: Sendable {
    public var procRoot: String

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// The status of `pid`, or nil when there is no such process (or it exited while being read).
    public func read(pid: Int) -> ProcessStatus? {
        guard pid > 0, let bytes = KernelFile.bytes(KernelFile.join(procRoot, "\(pid)/status"), limit: 64 * 1024) else { return nil }
        return Self.parse(bytes: bytes, pid: pid)
    }

    /// Parses the text of a status file; nil when it has no `Name:` line (not a status file, or
    /// cut before its first line). Zombies and kernel threads have no `Vm*` lines: their RSS is 0.
    public static func parse(_ text: String, pid: Int) -> ProcessStatus? {
        parse(bytes: Array(text.utf8), pid: pid)
    }

    /// Parses the bytes of a status file.
    ///
    /// On bytes rather than `String` lines: a tree sample reads one status file per process,
    /// and splitting text into Characters made this parse most of a sample's cost.
    public static func parse(bytes: [UInt8], pid: Int) -> ProcessStatus? {
        var name: String?
        var parentPID: Int?
        var rss: Int64?
        var peak: Int64?
        var anon: Int64?
        var file: Int64?
        var shmem: Int64?
        var hasExited = false
        bytes.withUnsafeBufferPointer { buffer in
            var lineStart = 0
            while lineStart < buffer.count {
                var lineEnd = lineStart
                while lineEnd < buffer.count, buffer[lineEnd] != 0x0A { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                var colon = lineStart
                while colon < lineEnd, buffer[colon] != UInt8(ascii: ":") { colon += 1 }
                guard colon < lineEnd else { continue }
                let key = UnsafeBufferPointer(rebasing: buffer[lineStart..<colon])
                let value = UnsafeBufferPointer(rebasing: buffer[(colon + 1)..<lineEnd])
                switch key.first {
                case UInt8(ascii: "N"):
                    // The kernel escapes the name (`\n` as two characters), so one line holds it;
                    // only the tab after the colon is dropped, as a name may begin or end with spaces.
                    if name == nil, equals(key, "Name") {
                        var text = value.first == 9 ? UnsafeBufferPointer(rebasing: value.dropFirst()) : value
                        if text.last == 0x0D { text = UnsafeBufferPointer(rebasing: text.dropLast()) }
                        name = String(decoding: text, as: UTF8.self)
                    }
                case UInt8(ascii: "S"):
                    if equals(key, "State") {
                        let letter = value.first { $0 != 32 && $0 != 9 }
                        hasExited = letter == UInt8(ascii: "Z") || letter == UInt8(ascii: "X")
                    }
                case UInt8(ascii: "P"):
                    if equals(key, "PPid") { parentPID = number(value, unit: false).flatMap { Int(exactly: $0) } }
                case UInt8(ascii: "V"):
                    if equals(key, "VmRSS") { rss = kilobytes(value) } else if equals(key, "VmHWM") { peak = kilobytes(value) }
                case UInt8(ascii: "R"):
                    if equals(key, "RssAnon") {
                        anon = kilobytes(value)
                    } else if equals(key, "RssFile") {
                        file = kilobytes(value)
                    } else if equals(key, "RssShmem") {
                        shmem = kilobytes(value)
                    }
                default:
                    continue
                }
            }
        }
        guard let name else { return nil }
        var memory = ProcessMemory(pid: pid, name: name, rssBytes: rss ?? 0)
        memory.peakRSSBytes = peak
        memory.anonBytes = anon
        memory.fileBytes = file
        memory.shmemBytes = shmem
        return ProcessStatus(memory: memory, parentPID: parentPID, hasExited: hasExited)
    }

    /// `   1740 kB` as bytes; nil when damaged or beyond `Int64`.
    static func kilobytes(_ value: Substring) -> Int64? {
        Array(value.utf8).withUnsafeBufferPointer { kilobytes($0) }
    }

    static func kilobytes(_ value: UnsafeBufferPointer<UInt8>) -> Int64? {
        KernelText.scaled(number(value, unit: true), by: 1024)
    }

    /// A non-negative integer between blanks, followed by ` kB` when `unit`; nil otherwise.
    private static func number(_ value: UnsafeBufferPointer<UInt8>, unit: Bool) -> Int64? {
        var cursor = ByteCursor(value)
        func skipBlanks() {
            while let byte = cursor.peek(), byte == 32 || byte == 9 || byte == 13 { cursor.position += 1 }
        }
        skipBlanks()
        guard let result = cursor.parseInteger() else { return nil }
        skipBlanks()
        if unit, cursor.skip("kB") { skipBlanks() }
        return cursor.isAtEnd ? result : nil
    }

    private static func equals(_ key: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard key.count == literal.utf8CodeUnitCount else { return false }
        let text = literal.utf8Start
        for index in 0..<key.count where key[index] != text[index] { return false }
        return true
    }
}
