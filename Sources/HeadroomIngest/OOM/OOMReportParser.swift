import HeadroomCore

/// Finds kernel OOM-kill reports in log lines and gathers each report's lines into one `OOMKill`.
///
/// A report starts at `X invoked oom-killer:` and ends at its `Killed process` line. Between them
/// come the stack dump, the memory cgroup's usage and stats (memcg OOMs) or the machine's
/// `Mem-Info` (global OOMs), the task table, and (5.0+) the `oom-kill:constraint=` summary; before
/// 5.0 a `Kill process N (x) score N or sacrifice child` line precedes the kill line. Lines of
/// other kernel messages may come in between and are skipped. After the kill, an
/// `oom_reaper: reaped process` line and `memory.oom.group` kills attach to the kill they follow.
///
/// Outside a report a line is only searched for `oom` and `Kill` (two `memchr` scans), so a large
/// `kern.log` costs little; only lines that may belong to a report are looked at further. A report
/// that breaks off (the log ends, another report starts, 5000 unrelated lines or 10 minutes pass)
/// is still returned, marked incomplete; so is a lone kill line whose header the kernel
/// rate-limited away.
public struct OOMReportParser {
    public let context: OOMClassificationContext
    public let options: OOMReadOptions
    public private(set) var linesRead = 0
    /// Lines that belonged to a report.
    public private(set) var reportLines = 0
    /// Lines with a kernel log prefix among the first `sniffedLineLimit` of each input: none
    /// means the input is likely no kernel log at all.
    public private(set) var kernelPrefixedLines = 0
    private var linesOfThisInput = 0
    private var kills: [OOMKill] = []
    private var omittedKills = 0
    private var inputs: [String] = []
    private var pending: OOMPendingReport?
    /// Set after `Tasks in /p are going to be killed due to memory.oom.group set`: further kill
    /// lines belong to the last kill, until a new report starts or time moves on.
    private var group: (open: Bool, uptime: Double?) = (false, nil)

    /// Unrelated lines in a row after which an open report counts as broken off.
    static let unrelatedLineLimit = 5000
    /// Seconds after its first line by which a report must have ended.
    static let reportSecondsLimit = 600.0
    /// How many lines at the start of each input are checked for a kernel log prefix.
    public static let sniffedLineLimit = 200

    public init(context: OOMClassificationContext = OOMClassificationContext(), options: OOMReadOptions = OOMReadOptions()) {
        self.context = context
        self.options = options
    }

    /// Reads every line of one input; a report still open at its end is closed as incomplete.
    public mutating func parse(_ reader: LineReader, file: String) throws {
        inputs.append(file)
        linesOfThisInput = 0
        try reader.forEachLine { line in
            consume(line, file: file)
        }
        if pending != nil { closePending(because: "the input ended before the kill line") }
    }

    /// Reads one line (for callers that produce lines themselves, such as a `/dev/kmsg` follower).
    public mutating func consume(_ line: Line, file: String) {
        linesRead += 1
        linesOfThisInput += 1
        if linesOfThisInput <= Self.sniffedLineLimit {
            let prefix = KernelLinePrefix.parse(line.bytes, options: options)
            if prefix.hasPrefix && prefix.isKernel { kernelPrefixedLines += 1 }
        }
        if pending == nil {
            let scan = ByteCursor(line.bytes)
            guard scan.contains("oom") || scan.contains("Kill") else { return }
        }
        let prefix = KernelLinePrefix.parse(line.bytes, options: options)
        guard prefix.isKernel else {
            if pending != nil { skipUnrelated() }
            return
        }
        if let open = pending, open.isStale(at: prefix) {
            closePending(because: "the report broke off: no kill line followed")
        }
        let cursor = ByteCursor(line.bytes, position: prefix.messageStart)
        if pending != nil {
            continueReport(cursor, prefix: prefix, line: line, file: file)
        } else {
            outsideReport(cursor, prefix: prefix, line: line, file: file)
        }
    }

    /// The kills found so far, oldest first.
    public func finish() -> OOMReport {
        var parser = self
        if parser.pending != nil { parser.closePending(because: "the input ended before the kill line") }
        return OOMReport(
            kills: parser.kills, omittedKillCount: parser.omittedKills, inputs: parser.inputs,
            linesRead: parser.linesRead, reportLines: parser.reportLines, isPartial: false, warnings: [])
    }

    // MARK: - Lines outside a report

    private mutating func outsideReport(_ cursor: ByteCursor, prefix: KernelLinePrefix, line: Line, file: String) {
        if let trigger = OOMReportLines.header(cursor) {
            startReport(prefix: prefix, line: line, file: file)
            pending!.kill.trigger = trigger
            pending!.kill.hasHeader = true
            return
        }
        if let killed = OOMReportLines.killed(cursor) {
            if group.open, let last = kills.indices.last, Self.isClose(group.uptime, prefix.uptimeSeconds) {
                reportLines += 1
                if kills[last].groupKilled.count < options.maxTasksPerKill { kills[last].groupKilled.append(killed.victim) }
                kills[last].lastLine = line.number
                return
            }
            // A kill line alone: its header was rate-limited by the kernel or cut from the log.
            startReport(prefix: prefix, line: line, file: file)
            pending!.recordKill(killed)
            closePending(because: nil)
            return
        }
        if let selection = OOMReportLines.kill(cursor) {
            startReport(prefix: prefix, line: line, file: file)
            pending!.kill.selected = selection.selection
            pending!.kill.killMessage = selection.message
            return
        }
        if let summary = OOMReportLines.summary(cursor) {
            startReport(prefix: prefix, line: line, file: file)
            pending!.summary = summary
            return
        }
        if let reaped = OOMReportLines.reaped(cursor) {
            attach(reaped, at: SourceLocation(file: file, line: line.number))
            return
        }
        if let path = OOMReportLines.oomGroup(cursor), let last = kills.indices.last {
            reportLines += 1
            kills[last].oomGroup = path
            kills[last].lastLine = line.number
            group = (true, prefix.uptimeSeconds)
        }
    }

    private mutating func startReport(prefix: KernelLinePrefix, line: Line, file: String) {
        group = (false, nil)
        reportLines += 1
        var time = OOMKill.Time(uptimeSeconds: prefix.uptimeSeconds, epochSeconds: prefix.epochSeconds)
        if let printed = prefix.printed {
            time.printed = ByteCursor(line.bytes).string(from: printed.lowerBound, to: printed.upperBound)
        }
        pending = OOMPendingReport(kill: OOMKill(location: SourceLocation(file: file, line: line.number), time: time))
    }

    // MARK: - Lines inside a report

    private mutating func continueReport(_ cursor: ByteCursor, prefix: KernelLinePrefix, line: Line, file: String) {
        // A new header closes the open report: the kernel printed no kill line for it.
        if cursor.contains("invoked oom-killer:") {
            closePending(because: "no kill line before the next report (the chosen task may already have been exiting)")
            outsideReport(cursor, prefix: prefix, line: line, file: file)
            return
        }
        if let reaped = OOMReportLines.reaped(cursor) {
            // The reaper works on an earlier victim while this report is printed.
            attach(reaped, at: SourceLocation(file: file, line: line.number))
            return
        }
        if let killed = OOMReportLines.killed(cursor) {
            reportLines += 1
            pending!.kill.lastLine = line.number
            pending!.recordKill(killed)
            closePending(because: nil)
            return
        }
        if cursor.hasPrefix("Out of memory and no killable processes") {
            reportLines += 1
            pending!.kill.lastLine = line.number
            closePending(because: "the kernel found no killable process")
            return
        }
        if pending!.read(cursor, context: context, options: options) {
            reportLines += 1
            pending!.kill.lastLine = line.number
            pending!.unrelatedLines = 0
        } else {
            skipUnrelated()
        }
    }

    /// Counts a line of another message inside a report; too many in a row end the report.
    private mutating func skipUnrelated() {
        pending!.unrelatedLines += 1
        if pending!.unrelatedLines > Self.unrelatedLineLimit {
            closePending(because: "the report broke off: no kill line followed")
        }
    }

    // MARK: - Closing

    /// Ends the open report; `reason` says why it has no kill line (nil when it has one).
    private mutating func closePending(because reason: String?) {
        guard var open = pending else { return }
        pending = nil
        if let reason { open.kill.notes.append(reason) }
        var kill = open.finish()
        let classified = OOMClassifier.classify(kill, context: context)
        kill.classification = classified.0
        kill.classificationReason = classified.reason
        if kills.count >= max(1, options.maxKills) {
            kills.removeFirst()
            omittedKills += 1
        }
        kills.append(kill)
    }

    /// Puts the reaper's figures on the latest kill of that PID not yet reaped.
    private mutating func attach(_ reaped: (pid: Int, anon: Int64, file: Int64, shmem: Int64), at location: SourceLocation) {
        for index in kills.indices.reversed().prefix(16) where kills[index].victim?.pid == reaped.pid && kills[index].reaped == nil {
            reportLines += 1
            kills[index].reaped = OOMKill.Reaped(anonRssBytes: reaped.anon, fileRssBytes: reaped.file, shmemRssBytes: reaped.shmem, location: location)
            return
        }
    }

    /// Whether a group kill line at `now` follows the group line at `start` closely (or time is unknown).
    private static func isClose(_ start: Double?, _ now: Double?) -> Bool {
        guard let start, let now else { return true }
        return now >= start && now - start < 5
    }
}
