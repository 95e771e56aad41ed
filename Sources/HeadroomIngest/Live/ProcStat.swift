import HeadroomCore

/// The fields of `/proc/PID/stat` that place a process among others: its parent, process group
/// and session, and its start time, which tells it from a later process given the same number.
public struct ProcStat: Sendable, Equatable {
    public var parentPID: Int
    public var processGroup: Int
    public var session: Int
    /// Clock ticks after boot.
    public var startTime: UInt64

    public init(parentPID: Int, processGroup: Int, session: Int, startTime: UInt64) {
        self.parentPID = parentPID
        self.processGroup = processGroup
        self.session = session
        self.startTime = startTime
    }

    /// The stat of `pid`, or nil when there is no such process (or the file is damaged).
    public static func read(pid: Int, procRoot: String = "/proc") -> ProcStat? {
        KernelFile.bytes(KernelFile.join(procRoot, "\(pid)/stat"), limit: 4096).flatMap(parse)
    }

    /// `pid (comm) state ppid pgrp session tty tpgid flags … starttime …`: fields are counted
    /// after the *last* `)`, as the command name may hold spaces and parentheses.
    public static func parse(_ bytes: [UInt8]) -> ProcStat? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split { $0 == UInt8(ascii: " ") || $0 == 0x0A }
        // fields[0] is the state (field 3 of proc(5)); the start time is field 22.
        guard fields.count > 19 else { return nil }
        func integer(_ index: Int) -> Int? { Int(String(decoding: fields[index], as: UTF8.self)) }
        guard let parent = integer(1), let group = integer(2), let session = integer(3),
            let start = UInt64(String(decoding: fields[19], as: UTF8.self))
        else { return nil }
        return ProcStat(parentPID: parent, processGroup: group, session: session, startTime: start)
    }
}
