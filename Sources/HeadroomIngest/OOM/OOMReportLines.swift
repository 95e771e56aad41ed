import HeadroomCore

/// Parsers for the single lines of a kernel OOM report, each given a cursor at the message start.
///
/// Formats follow `mm/oom_kill.c` (`dump_header`, `dump_tasks`, `dump_oom_summary`,
/// `__oom_kill_process`, the OOM reaper) and `mm/memcontrol.c` (`mem_cgroup_print_oom_meminfo`,
/// before 5.0 `mem_cgroup_print_oom_info`) from 4.x to 6.x. Each parser returns nil for a line
/// that is not its kind, so callers can try them in turn.
package enum OOMReportLines {
    /// `NAME invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), [nodemask=(null),  ]order=0, oom_score_adj=0`
    static func header(_ cursor: ByteCursor) -> OOMKill.Trigger? {
        guard let at = cursor.index(of: " invoked oom-killer:") else { return nil }
        var trigger = OOMKill.Trigger(name: cursor.string(from: cursor.position, to: at))
        let fields = at + 20
        trigger.gfpMask = text(after: "gfp_mask=", in: cursor, from: fields)
        trigger.order = number(after: "order=", in: cursor, from: fields).map { Int($0) }
        trigger.oomScoreAdj = number(after: "oom_score_adj=", in: cursor, from: fields).map { Int($0) }
        return trigger
    }

    /// `CPU: 1 UID: 0 PID: 26081 Comm: python3 Not tainted ...` (before 4.x: `Pid: 2376, comm: x Not tainted`).
    static func stackDumpTask(_ cursor: ByteCursor) -> (pid: Int, name: String?)? {
        guard cursor.hasPrefix("CPU: ") || cursor.hasPrefix("Pid: ") else { return nil }
        guard let pid = number(after: "PID: ", in: cursor) ?? number(after: "Pid: ", in: cursor) else { return nil }
        var name: String?
        if let comm = cursor.index(of: "Comm: ") ?? cursor.index(of: "comm: ") {
            let start = comm + 6
            var end = cursor.bytes.count
            for stop: StaticString in [" Not tainted", " Tainted:", " Kdump:"] {
                if let found = cursor.index(of: stop, from: start), found < end { end = found }
            }
            name = cursor.string(from: start, to: end)
        }
        return (Int(pid), name)
    }

    /// `memory: usage 65536kB, limit 65536kB, failcnt 2811` after the label (`memory:`, `swap:`, ...).
    static func usage(_ cursor: ByteCursor, label: StaticString) -> (usage: Int64?, limit: Int64?, failCount: Int64?)? {
        guard cursor.hasPrefix(label) else { return nil }
        let from = cursor.position + label.utf8CodeUnitCount
        return (
            kilobytes(after: "usage ", in: cursor, from: from),
            kilobytes(after: "limit ", in: cursor, from: from),
            number(after: "failcnt ", in: cursor, from: from)
        )
    }

    /// `Task in /a/b killed as a result of limit of /a` (before 5.0): the victim's and the limited cgroup.
    static func taskIn(_ cursor: ByteCursor) -> (taskMemcg: String, memcg: String)? {
        guard cursor.hasPrefix("Task in "), let middle = cursor.index(of: " killed as a result of limit of ") else { return nil }
        return (cursor.string(from: cursor.position + 8, to: middle), cursor.string(from: middle + 32, to: cursor.bytes.count))
    }

    /// `Memory cgroup stats for /p:` with, before 4.19, the stats on the same line (`cache:188KB rss:...KB`).
    static func statsHeader(_ cursor: ByteCursor) -> (path: String, inline: [(String, Int64)])? {
        guard cursor.hasPrefix("Memory cgroup stats for ") else { return nil }
        let start = cursor.position + 24
        if let colon = cursor.index(of: ": ", from: start) {
            return (cursor.string(from: start, to: colon), inlineStats(cursor, from: colon + 2))
        }
        var end = cursor.bytes.count
        while end > start, cursor.bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        if end > start, cursor.bytes[end - 1] == UInt8(ascii: ":") { end -= 1 }
        return (cursor.string(from: start, to: end), [])
    }

    /// One `key value` line of a stats block (bytes); nil for anything else, which ends the block.
    static func statLine(_ cursor: ByteCursor) -> (key: String, value: Int64)? {
        var index = cursor.position
        let bytes = cursor.bytes
        while index < bytes.count, isKeyByte(bytes[index]) { index += 1 }
        guard index > cursor.position, index < bytes.count, bytes[index] == UInt8(ascii: " ") else { return nil }
        var value = ByteCursor(bytes, position: index + 1)
        guard let number = value.parseInteger(), value.isAtEnd || value.peek() == UInt8(ascii: " ") else { return nil }
        return (cursor.string(from: cursor.position, to: index), number)
    }

    /// `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/p,task_memcg=/p,task=x,pid=1,uid=0`
    ///
    /// A piece without `=` other than `global_oom` continues the previous value: cgroup paths and
    /// task names may hold commas.
    static func summary(_ cursor: ByteCursor) -> [String: String]? {
        guard cursor.hasPrefix("oom-kill:") else { return nil }
        let text = cursor.string(from: cursor.position + 9, to: cursor.bytes.count)
        var fields: [String: String] = [:]
        var lastKey: String?
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            if let equals = piece.firstIndex(of: "=") {
                let key = String(piece[..<equals])
                fields[key] = String(piece[piece.index(after: equals)...])
                lastKey = key
            } else if piece == "global_oom" {
                fields["global_oom"] = ""
                lastKey = nil
            } else if let key = lastKey {
                fields[key, default: ""] += "," + piece
            }
        }
        return fields
    }

    /// `[MESSAGE: ]Killed process N (NAME) total-vm:NkB, anon-rss:NkB, file-rss:NkB, shmem-rss:NkB[, UID:N pgtables:NkB oom_score_adj:N]`
    ///
    /// Also the RHEL 6 form `Killed process N, UID N, (NAME) total-vm:...`.
    static func killed(_ cursor: ByteCursor) -> (message: String?, victim: OOMKill.Victim)? {
        guard let at = cursor.index(of: "Killed process ") else { return nil }
        var reader = ByteCursor(cursor.bytes, position: at + 15)
        guard let pid = reader.parseInteger() else { return nil }
        var uid: Int64?
        if reader.skip(", UID ") {
            uid = reader.parseInteger()
            _ = reader.skip(",")
        }
        reader.skipSpaces()
        guard reader.skip("(") else { return nil }
        let nameStart = reader.position
        let nameEnd = reader.index(of: ") total-vm:") ?? lastIndex(of: UInt8(ascii: ")"), in: reader.bytes, from: nameStart) ?? reader.bytes.count
        var victim = OOMKill.Victim(name: reader.string(from: nameStart, to: nameEnd), pid: Int(pid))
        let fields = nameEnd
        victim.totalVmBytes = kilobytes(after: "total-vm:", in: cursor, from: fields)
        victim.anonRssBytes = kilobytes(after: "anon-rss:", in: cursor, from: fields)
        victim.fileRssBytes = kilobytes(after: "file-rss:", in: cursor, from: fields)
        victim.shmemRssBytes = kilobytes(after: "shmem-rss:", in: cursor, from: fields)
        victim.uid = (number(after: "UID:", in: cursor, from: fields) ?? uid).map { Int($0) }
        victim.pageTablesBytes = kilobytes(after: "pgtables:", in: cursor, from: fields)
        victim.oomScoreAdj = number(after: "oom_score_adj:", in: cursor, from: fields).map { Int($0) }
        if let anon = victim.anonRssBytes, let file = victim.fileRssBytes {
            victim.rssBytes = anon + file + (victim.shmemRssBytes ?? 0)
        }
        return (message(before: at, in: cursor), victim)
    }

    /// `[MESSAGE: ]Kill process N (NAME) score N or sacrifice child` (before 5.0).
    static func kill(_ cursor: ByteCursor) -> (message: String?, selection: OOMKill.Selection)? {
        guard let at = cursor.index(of: "Kill process ") else { return nil }
        var reader = ByteCursor(cursor.bytes, position: at + 13)
        guard let pid = reader.parseInteger(), reader.skip(" (") else { return nil }
        let nameStart = reader.position
        guard let nameEnd = reader.index(of: ") score ") else { return nil }
        reader.position = nameEnd + 8
        let score = reader.parseInteger()
        return (message(before: at, in: cursor), OOMKill.Selection(name: reader.string(from: nameStart, to: nameEnd), pid: Int(pid), score: score))
    }

    /// `oom_reaper: reaped process N (NAME), now anon-rss:NkB, file-rss:NkB, shmem-rss:NkB`
    static func reaped(_ cursor: ByteCursor) -> (pid: Int, anon: Int64, file: Int64, shmem: Int64)? {
        guard cursor.hasPrefix("oom_reaper: reaped process ") else { return nil }
        var reader = ByteCursor(cursor.bytes, position: cursor.position + 27)
        guard let pid = reader.parseInteger(), let now = cursor.index(of: ", now ", from: reader.position) else { return nil }
        return (
            Int(pid),
            kilobytes(after: "anon-rss:", in: cursor, from: now) ?? 0,
            kilobytes(after: "file-rss:", in: cursor, from: now) ?? 0,
            kilobytes(after: "shmem-rss:", in: cursor, from: now) ?? 0
        )
    }

    /// `Tasks in /p are going to be killed due to memory.oom.group set` (4.19+).
    static func oomGroup(_ cursor: ByteCursor) -> String? {
        guard cursor.hasPrefix("Tasks in "), let end = cursor.index(of: " are going to be killed due to memory.oom.group") else { return nil }
        return cursor.string(from: cursor.position + 9, to: end)
    }

    /// `4194157 pages RAM` (global reports, `show_mem`).
    static func pagesRAM(_ cursor: ByteCursor) -> Int64? {
        var reader = cursor
        guard let pages = reader.parseInteger(), reader.remaining == 10, reader.hasPrefix(" pages RAM") else { return nil }
        return pages
    }

    // MARK: - Fields

    /// The text after `key` up to the next comma (or the line's end), trimmed.
    static func text(after key: StaticString, in cursor: ByteCursor, from start: Int? = nil) -> String? {
        guard let at = cursor.index(of: key, from: start ?? cursor.position) else { return nil }
        let valueStart = at + key.utf8CodeUnitCount
        let end = cursor.index(ofByte: UInt8(ascii: ","), from: valueStart) ?? cursor.bytes.count
        return trimmed(cursor.string(from: valueStart, to: end))
    }

    /// The signed integer after `key`.
    static func number(after key: StaticString, in cursor: ByteCursor, from start: Int? = nil) -> Int64? {
        guard let at = cursor.index(of: key, from: start ?? cursor.position) else { return nil }
        var reader = ByteCursor(cursor.bytes, position: at + key.utf8CodeUnitCount)
        let negative = reader.skip("-")
        guard let value = reader.parseInteger() else { return nil }
        return negative ? -value : value
    }

    /// The `NkB` figure after `key`, in bytes.
    static func kilobytes(after key: StaticString, in cursor: ByteCursor, from start: Int? = nil) -> Int64? {
        guard let value = number(after: key, in: cursor, from: start), value >= 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: 1024)
        return overflow ? nil : bytes
    }

    /// `cache:188KB rss:1048388KB ...` (4.x `Memory cgroup stats` on one line), in bytes.
    private static func inlineStats(_ cursor: ByteCursor, from start: Int) -> [(String, Int64)] {
        var stats: [(String, Int64)] = []
        let text = cursor.string(from: start, to: cursor.bytes.count)
        for token in text.split(separator: " ") {
            guard let colon = token.firstIndex(of: ":") else { continue }
            var digits = token[token.index(after: colon)...]
            if digits.hasSuffix("KB") || digits.hasSuffix("kB") { digits = digits.dropLast(2) }
            guard let kilobytes = Int64(digits), kilobytes >= 0 else { continue }
            let (bytes, overflow) = kilobytes.multipliedReportingOverflow(by: 1024)
            if !overflow { stats.append((String(token[..<colon]), bytes)) }
        }
        return stats
    }

    /// The text before `Killed process` / `Kill process`, without its `: `; nil when there is none.
    private static func message(before at: Int, in cursor: ByteCursor) -> String? {
        guard at > cursor.position else { return nil }
        var text = trimmed(cursor.string(from: cursor.position, to: at))
        if text.hasSuffix(":") { text.removeLast() }
        return text.isEmpty ? nil : text
    }

    private static func lastIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = bytes.count - 1
        while index >= start {
            if bytes[index] == byte { return index }
            index -= 1
        }
        return nil
    }

    /// Without leading and trailing spaces and tabs.
    static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }

    @inline(__always) private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_") || (byte &- 48 < 10)
    }
}
